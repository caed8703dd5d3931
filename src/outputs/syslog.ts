// RFC 5424 syslog messages for risk alerts, over UDP or TCP (octet-counted framing, RFC 6587).
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';

export interface SyslogTarget { protocol: 'udp' | 'tcp'; host: string; port: number }

export function parseSyslogUrl(url: string): SyslogTarget {
  const m = /^(udp|tcp):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?\/?$/.exec(url);
  if (!m) throw new Error(`--syslog must look like udp://host:514 or tcp://host:6514 (got "${url}")`);
  return { protocol: m[1] as 'udp' | 'tcp', host: m[2]!.replace(/^\[|\]$/g, ''), port: Number(m[3] ?? 514) };
}

const sdEscape = (s: string) => s.replace(/[\\"\]]/g, (c) => `\\${c}`);
const printable = (s: string, max: number) => s.replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, max);

/** One RFC 5424 message: facility local4, severity from the risk score. */
export function formatSyslog(a: { time: number; detection: string; risk_score: number; risk_message: string; finding_id?: number; incident_id?: number; type: string }, host = hostname()): string {
  // Incidents are at least "error"; an alert's severity follows its score.
  const severity = a.incident_id !== undefined ? 3 - (a.risk_score > 200 ? 1 : 0) : a.risk_score >= 80 ? 2 : a.risk_score >= 50 ? 3 : a.risk_score >= 25 ? 4 : 5;
  const pri = 20 * 8 + severity;
  const ts = new Date(a.time * 1000).toISOString();
  const ref = a.incident_id !== undefined ? `incident="${a.incident_id}"` : `finding="${a.finding_id ?? ''}"`;
  const sd = `[sentinel@32473 detection="${sdEscape(a.detection)}" score="${a.risk_score}" ${ref} type="${a.type}"]`;
  return `<${pri}>1 ${ts} ${printable(host, 255).replace(/ /g, '_') || '-'} ollama-sentinel ${process.pid} ${a.type} ${sd} ${printable(a.risk_message, 4000)}`;
}

export class SyslogSender {
  private tcp?: Socket;
  private udp = createSocket('udp4');
  constructor(private readonly t: SyslogTarget) { this.udp.unref(); }

  send(line: string): Promise<void> {
    if (this.t.protocol === 'udp') {
      return new Promise((ok, fail) => this.udp.send(Buffer.from(line), this.t.port, this.t.host, (e) => (e ? fail(e) : ok())));
    }
    return new Promise((ok, fail) => {
      const write = () => {
        const b = Buffer.from(line);
        this.tcp!.write(`${b.length} ${line}`, (e) => (e ? fail(e) : ok()));
      };
      if (this.tcp && !this.tcp.destroyed) return write();
      const s = connect(this.t.port, this.t.host);
      s.once('connect', () => { this.tcp = s; write(); });
      s.once('error', (e) => { s.destroy(); fail(e); });
    });
  }

  close(): void { this.tcp?.end(); this.udp.close(); }
}
