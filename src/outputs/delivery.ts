// Sends alerts to slow or failing destinations without ever holding up detection: each destination has a
// bounded queue and one worker that retries with exponential backoff. When the queue is full the oldest
// item is dropped and counted; the findings database keeps every alert regardless.
export interface DeliveryStats { sent: number; failed: number; dropped: number; retries: number; queued: number }

export interface DeliveryOptions {
  name: string;
  send: (item: unknown) => Promise<void>;
  attempts?: number;
  baseDelayMs?: number;
  maxQueue?: number;
  log: (level: 'warn' | 'info', message: string, extra?: Record<string, unknown>) => void;
}

export class DeliveryQueue {
  private queue: unknown[] = [];
  private running = false;
  private idle: Array<() => void> = [];
  readonly stats: DeliveryStats = { sent: 0, failed: 0, dropped: 0, retries: 0, queued: 0 };

  constructor(private readonly o: DeliveryOptions) {}

  push(item: unknown): void {
    const max = this.o.maxQueue ?? 10000;
    if (this.queue.length >= max) { this.queue.shift(); this.stats.dropped++; }
    this.queue.push(item);
    this.stats.queued = this.queue.length;
    if (!this.running) void this.work();
  }

  private async work(): Promise<void> {
    this.running = true;
    const attempts = this.o.attempts ?? 6;
    const base = this.o.baseDelayMs ?? 500;
    while (this.queue.length) {
      const item = this.queue[0];
      let ok = false;
      for (let a = 0; a < attempts && !ok; a++) {
        try { await this.o.send(item); ok = true; } catch (e) {
          if (a + 1 < attempts) {
            this.stats.retries++;
            await new Promise((r) => setTimeout(r, base * 2 ** a));
          } else this.o.log('warn', `${this.o.name}: giving up after ${attempts} attempts`, { error: (e as Error).message });
        }
      }
      this.queue.shift();
      this.stats.queued = this.queue.length;
      if (ok) this.stats.sent++; else this.stats.failed++;
    }
    this.running = false;
    for (const f of this.idle.splice(0)) f();
  }

  /** Resolves when the queue is empty, or after `ms`. */
  drain(ms: number): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => { this.idle.push(r); setTimeout(r, ms).unref(); });
  }
}

/** POSTs JSON; a non-2xx answer or a network error is a failure to retry. */
export async function postJson(url: string, body: string, headers: Record<string, string> = {}, timeoutMs = 10000): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(timeoutMs) });
  await res.arrayBuffer();
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
}
