// `ollama-sentinel watch`: continuous detection as a service.
import { appendFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { COMMON_OPTIONS, SELECT_OPTIONS, RISK_OPTIONS, parse, readCommon, readSelection, UsageError } from './options.js';
import { loadContent } from './content.js';
import type { Io } from './io.js';
import { Watcher } from '../watch/watcher.js';
import type { AlertRecord, OutputRecord } from '../risk/alert-book.js';
import { loadIncidentConfig } from '../risk/incident-config.js';
import { parsePeriod } from '../util/period.js';
import { DeliveryQueue, postJson } from '../outputs/delivery.js';
import { formatSyslog, parseSyslogUrl, SyslogSender } from '../outputs/syslog.js';
import { collectorUrl } from './replay-cmd.js';
import { safeJson } from '../outputs/sanitize.js';
import { existsSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export const WATCH_HELP = `Usage: ollama-sentinel watch [FILE|GLOB…|-] --state DIR [options]

Watches Ollama's logs and raises alerts as it goes. Files and globs are followed through rotation and
truncation; with none given it follows Ollama's default log files, or the ollama unit's journal. "-" reads
stdin. Lines, positions and findings are stored in --state DIR, so a restart (even after kill -9) resumes
exactly where it stopped.

Options:
  --state DIR            state directory (required): positions, recent lines, findings (SQLite)
  --realtime             evaluate detections as events arrive instead of on their cron schedules
  --from-beginning       read files present at the first start from their start (default: their end)
  --journald [UNIT]      also follow the systemd journal of UNIT (default ollama)
  --hec PORT             accept events on an HTTP Event Collector endpoint on PORT (0 picks one)
  --hec-token TOKEN      token clients must send (repeatable; or $OLLAMA_SENTINEL_HEC_TOKEN)
  --hec-bind ADDR        address to listen on (default 127.0.0.1)
  --hec-max-bytes N      largest request body accepted (default 10000000)
  --format ndjson|none   alerts on stdout (default ndjson)
  --out FILE             also append alerts as NDJSON to FILE
  --webhook URL          POST each alert as JSON (retried with backoff; never blocks detection)
  --forward-hec URL      send risk events to a Splunk HEC (with --forward-hec-token)
  --syslog URL           send alerts as RFC 5424 syslog, udp://host:514 or tcp://host:6514
  --throttle PERIOD      suppress repeats per detection and risk object for PERIOD (e.g. 1h), where the
                         detection sets no throttle of its own
  --risk-rules FILE      risk incident rules (default config/risk.yml, or $OLLAMA_SENTINEL_RISK_RULES);
                         incidents go to the same outputs as alerts, with type "incident"
  --health PORT          serve GET /health on 127.0.0.1:PORT
  --poll MS              how often files are checked (default 250)
  --tz, --host, --set, --only, --exclude, --tuning, --detections, --macros, --truncate  as for scan

Stops cleanly on SIGTERM or SIGINT. Logs are JSON lines on stderr.
`;

export async function watchCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...COMMON_OPTIONS, ...SELECT_OPTIONS, ...RISK_OPTIONS,
    state: { type: 'string' }, realtime: { type: 'boolean' }, 'from-beginning': { type: 'boolean' }, journald: { type: 'string' },
    hec: { type: 'string' }, 'hec-token': { type: 'string', multiple: true }, 'hec-bind': { type: 'string' }, 'hec-max-bytes': { type: 'string' },
    out: { type: 'string' }, webhook: { type: 'string' }, 'forward-hec': { type: 'string' }, 'forward-hec-token': { type: 'string' },
    syslog: { type: 'string' }, throttle: { type: 'string' }, health: { type: 'string' }, poll: { type: 'string' },
  });
  if (values.help) { io.out(WATCH_HELP); return 0; }
  if (!values.state) throw new UsageError('watch needs --state DIR (where positions and findings are kept)');
  const format = values.format ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'none') throw new UsageError(`--format for watch is ndjson or none (got "${format}")`);
  const common = readCommon({ ...values, format: 'ndjson' }, 'ndjson');
  const content = loadContent(values.detections ?? [], values.macros ?? [], values.tuning);
  const detections = readSelection(content.detections, values);
  if (detections.length === 0) throw new UsageError('no detections to run');
  if (values.throttle) {
    const period = parsePeriod(values.throttle);
    if (period === undefined) throw new UsageError('--throttle must be a duration such as 30m, 1h or 1d');
    for (const d of detections) if (!d.throttle) d.throttle = { fields: (d.rba?.risk_objects ?? []).map((r) => r.field), period };
  }
  const port = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port number (0-65535)`);
    return n;
  };
  const hecPort = port(values.hec, '--hec');
  const tokens = values['hec-token'] ?? (process.env.OLLAMA_SENTINEL_HEC_TOKEN ? [process.env.OLLAMA_SENTINEL_HEC_TOKEN] : []);
  if (hecPort !== undefined && tokens.length === 0) throw new UsageError('--hec needs --hec-token (or OLLAMA_SENTINEL_HEC_TOKEN)');
  const maxBytes = values['hec-max-bytes'] ? Number(values['hec-max-bytes']) : 10_000_000;
  if (!Number.isInteger(maxBytes) || maxBytes < 1024) throw new UsageError('--hec-max-bytes must be a whole number of at least 1024');
  const pollMs = values.poll ? Number(values.poll) : 250;
  if (!Number.isInteger(pollMs) || pollMs < 10 || pollMs > 60000) throw new UsageError('--poll must be between 10 and 60000 milliseconds');

  const log = (level: 'info' | 'warn' | 'error', msg: string, extra: Record<string, unknown> = {}) => {
    io.err(safeJson({ ts: new Date().toISOString(), level, msg, ...extra }) + '\n');
  };
  const queues: DeliveryQueue[] = [];
  const sinks: Array<(a: OutputRecord) => void> = [];
  if (format !== 'none') sinks.push((a) => io.out(safeJson(a) + '\n'));
  if (values.out) { const f = values.out; sinks.push((a) => appendFileSync(f, safeJson(a) + '\n')); }
  if (values.webhook) {
    const url = values.webhook;
    if (!/^https?:\/\//.test(url)) throw new UsageError('--webhook must be an http or https URL');
    const q = new DeliveryQueue({ name: 'webhook', send: (a) => postJson(url, safeJson(a)), log });
    queues.push(q); sinks.push((a) => q.push(a));
  }
  if (values['forward-hec']) {
    const token = values['forward-hec-token'] ?? process.env.OLLAMA_SENTINEL_FORWARD_HEC_TOKEN;
    if (!token) throw new UsageError('--forward-hec needs --forward-hec-token');
    const url = collectorUrl(values['forward-hec']);
    const host = common.host ?? hostname();
    const q = new DeliveryQueue({
      name: 'forward-hec', log,
      send: (x) => postJson(url, hecEvents(x as OutputRecord, host).join('\n'), { Authorization: `Splunk ${token}` }),
    });
    queues.push(q); sinks.push((a) => { if (a.risk_events.length) q.push(a); });
  }
  let syslog: SyslogSender | undefined;
  if (values.syslog) {
    let target;
    try { target = parseSyslogUrl(values.syslog); } catch (e) { throw new UsageError((e as Error).message); }
    const sender = new SyslogSender(target);
    syslog = sender;
    const q = new DeliveryQueue({ name: 'syslog', send: (a) => sender.send(formatSyslog(a as OutputRecord, common.host)), log });
    queues.push(q); sinks.push((a) => q.push(a));
  }

  const patterns = positionals.filter((p) => p !== '-');
  const stdin = positionals.includes('-');
  let journald = values.journald !== undefined ? { unit: values.journald || 'ollama', ...(process.env.OLLAMA_SENTINEL_JOURNALCTL ? { command: process.env.OLLAMA_SENTINEL_JOURNALCTL } : {}) } : undefined;
  if (patterns.length === 0 && !stdin && !journald && hecPort === undefined) {
    const d = defaultWatchPatterns();
    if (d.length) { patterns.push(...d); log('info', 'following Ollama\'s default log files', { patterns: d }); }
    else if (platform() === 'linux') { journald = { unit: 'ollama' }; log('info', 'no Ollama log file found; following the journal of the ollama unit'); }
    else throw new UsageError('no Ollama log found in the default locations; give a file or glob');
  }

  // A pipe into `watch -` alone works like a filter: the end of the input ends the service (cleanly).
  const stdinOnly = stdin && patterns.length === 0 && !journald && hecPort === undefined;
  let inputEnded = false;
  let requestStop: (why: string) => void = () => undefined;
  const watcher = new Watcher({
    patterns, ...(stdin ? { stdin: process.stdin } : {}), ...(journald ? { journald } : {}),
    incidents: loadIncidentConfig(values['risk-rules']),
    stateDir: values.state, detections, macros: content.macros, tz: common.tz, ...(common.host ? { host: common.host } : {}),
    realtime: !!values.realtime, fromBeginning: !!values['from-beginning'], pollMs, ...(common.truncate ? { truncate: common.truncate } : {}),
    ...(hecPort !== undefined ? { hec: { port: hecPort, bind: values['hec-bind'] ?? '127.0.0.1', tokens, maxBytes } } : {}),
    ...(values.health !== undefined ? { healthPort: port(values.health, '--health')! } : {}),
    onStdinEnd: () => { if (stdinOnly) { inputEnded = true; requestStop('end of input'); } },
    onAlert: (a) => { for (const s of sinks) { try { s(a); } catch (e) { log('error', 'output failed', { error: (e as Error).message }); } } },
    log,
  });
  await watcher.ready;
  log('info', 'watching', { detections: detections.length, mode: values.realtime ? 'realtime' : 'scheduled', patterns, stdin, journald: journald?.unit ?? null, tz: common.tz.name, ports: watcher.ports() });
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      log('info', 'stopping', { reason: sig });
      await watcher.stop();
      await Promise.all(queues.map((q) => q.drain(5000)));
      syslog?.close();
      log('info', 'stopped', { deliveries: Object.fromEntries(queues.map((q, i) => [i, q.stats])) });
      resolve(0);
    };
    requestStop = (why) => void stop(why);
    if (inputEnded) requestStop('end of input');
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

function defaultWatchPatterns(): string[] {
  const home = homedir();
  const out: string[] = [];
  if (platform() === 'win32') out.push(join(process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Ollama', 'server*.log'));
  else {
    if (existsSync(join(home, '.ollama', 'logs'))) out.push(join(home, '.ollama', 'logs', 'server*.log'));
    if (existsSync('/var/log/ollama')) out.push('/var/log/ollama/server*.log');
  }
  return out;
}


/** Risk events go to Splunk's risk sourcetype one by one; an incident goes as one event. */
function hecEvents(a: OutputRecord, host: string): string[] {
  if (a.type === 'incident' || a.type === 'incident_update') {
    return [safeJson({ time: a.time, host, source: 'ollama-sentinel', sourcetype: 'ollama:sentinel:incident', event: a })];
  }
  const r = a as AlertRecord;
  return r.risk_events.map((e) => safeJson({ time: e._time, host, source: 'ollama-sentinel', sourcetype: 'ollama:sentinel:risk', event: { ...e, alert_type: r.type, finding_id: r.finding_id } }));
}
