// Follows the systemd journal of the Ollama unit with `journalctl -f -o json`, keeping each entry's cursor so
// a restart continues right after the last stored entry (`--after-cursor`). Entries become journald
// short-iso lines, the shape the parser already knows, so host and time come from the journal.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface JournaldOptions {
  unit: string;
  cursor?: string;
  /** journalctl binary (tests point this at a stand-in). */
  command?: string;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

export class JournaldFollower {
  private child: ChildProcess;
  private lines: string[] = [];
  private cursor: string | undefined;

  constructor(o: JournaldOptions) {
    const args = ['-u', o.unit, '-f', '-o', 'json', '--no-pager', ...(o.cursor ? [`--after-cursor=${o.cursor}`] : ['-n', '0'])];
    this.child = spawn(o.command ?? 'journalctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.on('error', (e) => o.log('error', 'cannot run journalctl', { error: e.message }));
    this.child.stderr!.on('data', (b: Buffer) => o.log('warn', 'journalctl', { stderr: b.toString().trim().slice(0, 500) }));
    const rl = createInterface({ input: this.child.stdout!, crlfDelay: Infinity });
    rl.on('line', (l) => {
      let e: Record<string, unknown>;
      try { e = JSON.parse(l) as Record<string, unknown>; } catch { return; }
      const msg = Array.isArray(e.MESSAGE) ? Buffer.from(e.MESSAGE as number[]).toString('utf8') : String(e.MESSAGE ?? '');
      const us = Number(e.__REALTIME_TIMESTAMP);
      const iso = Number.isFinite(us) ? new Date(us / 1000).toISOString().replace(/\.\d+Z$/, '+0000') : '';
      const host = String(e._HOSTNAME ?? 'localhost').replace(/\s/g, '_');
      const ident = String(e.SYSLOG_IDENTIFIER ?? 'ollama').replace(/\s/g, '_');
      for (const part of msg.split('\n')) this.lines.push(`${iso} ${host} ${ident}[${String(e._PID ?? '0')}]: ${part}`);
      if (typeof e.__CURSOR === 'string') this.cursor = e.__CURSOR;
    });
  }

  /** Lines received since the last call, and the cursor of the last entry among them. */
  take(): { lines: string[]; cursor?: string } {
    const lines = this.lines.splice(0);
    return { lines, ...(lines.length && this.cursor ? { cursor: this.cursor } : {}) };
  }

  close(): void { this.child.kill(); }
}
