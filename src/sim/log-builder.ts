// Collects simulated lines with their times and writes them in time order, as Ollama would have logged them.
import { ginLine, slogLine } from './format.js';

export type Pairs = Array<[string, string | number]>;

export class LogBuilder {
  private lines: Array<{ ms: number; seq: number; text: string }> = [];
  private seq = 0;

  add(ms: number, text: string): void { this.lines.push({ ms: Math.round(ms), seq: this.seq++, text }); }
  /** A Gin access line; `ms` is when the handler returned (Gin logs after the response). */
  gin(ms: number, status: number, latencyNs: number, client: string, method: string, path: string): void {
    this.add(ms, ginLine(ms, status, latencyNs, client, method, path));
  }
  slog(ms: number, level: string, source: string, msg: string, pairs: Pairs = []): void {
    this.add(ms, slogLine(ms, level, source, msg, pairs));
  }
  /** Untimestamped lines (runner output, panic traces) kept in the given order right after `ms`. */
  raw(ms: number, texts: string[]): void { for (const t of texts) this.add(ms, t); }

  get size(): number { return this.lines.length; }

  text(): string {
    const sorted = [...this.lines].sort((a, b) => a.ms - b.ms || a.seq - b.seq);
    return sorted.map((l) => l.text).join('\n') + (sorted.length ? '\n' : '');
  }
}
