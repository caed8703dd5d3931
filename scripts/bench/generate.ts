// The benchmark's log: a deterministic Ollama server.log of N lines with a busy server's mix. Many clients
// (an Open WebUI on the LAN, developers, CI, the local CLI's heartbeats, outside users of an exposed port),
// bursts from outside scanners (some above seed detection 1's 120 requests per 5 minutes, some below), model
// loads with their runner lines, warnings and the odd error. Same size and seed, same bytes.
import { createWriteStream } from 'node:fs';
import { Rng } from '../../src/sim/rng.js';
import { formatGinLatency } from '../../src/parse/duration.js';

const p2 = (n: number) => (n < 10 ? '0' : '') + n;

const LAN = Array.from({ length: 60 }, (_, i) => (i < 40 ? `10.0.${i % 8}.${10 + i}` : `192.168.1.${20 + i}`));
const LOCAL = ['127.0.0.1', '::1'];
const OUTSIDE = Array.from({ length: 400 }, (_, i) => (i % 5 === 4 ? `2001:db8:${((i * 7919) % 65536).toString(16)}::${(i % 250) + 1}` : `${[198, 203, 45, 185][i % 4]}.${[51, 0, 83, 220][i % 4]}.${(i * 37) % 256}.${(i * 101) % 254 + 1}`));
const MODELS = ['llama3.1:8b', 'qwen2.5-coder:7b', 'mistral:7b', 'gemma2:9b', 'phi3:mini'];

/** [method, path, status, latency range in ns, weight] for ordinary requests. */
const ROUTES: Array<[string, string, number, [number, number], number]> = [
  ['POST', '/api/chat', 200, [4e8, 4.5e10], 30],
  ['POST', '/v1/chat/completions', 200, [3e8, 3e10], 18],
  ['POST', '/api/generate', 200, [2e8, 2.5e10], 12],
  ['POST', '/api/embed', 200, [8e6, 2e8], 10],
  ['GET', '/api/tags', 200, [4e4, 2e6], 10],
  ['GET', '/api/ps', 200, [2e4, 4e5], 6],
  ['HEAD', '/', 200, [1e4, 6e4], 5],
  ['GET', '/api/version', 200, [1e4, 5e4], 3],
  ['POST', '/api/show', 200, [2e5, 3e7], 3],
  ['GET', '/', 200, [1e4, 6e4], 1],
  ['POST', '/api/chat', 400, [2e4, 3e5], 1],
  ['POST', '/api/generate', 404, [2e4, 3e5], 1],
];
const ROUTE_TOTAL = ROUTES.reduce((s, r) => s + r[4], 0);
const PROBES: Array<[string, string, number]> = [
  ['GET', '/', 200], ['GET', '/api/version', 200], ['GET', '/api/tags', 200], ['GET', '/api/ps', 200], ['GET', '/v1/models', 200],
  ['POST', '/api/show', 400], ['GET', '/admin', 404], ['GET', '/.env', 404], ['GET', '/api/pull', 405], ['POST', '/v1/chat/completions', 400],
];

export class BenchLog {
  private readonly rng: Rng;
  private t: number;
  private secCache = -1;
  private secText = '';
  private isoSec = -1;
  private isoText = '';
  constructor(seed = 20250601, start = Date.UTC(2025, 5, 1)) { this.rng = new Rng(seed); this.t = start; }

  private ginTime(ms: number): string {
    const s = Math.floor(ms / 1000);
    if (s !== this.secCache) {
      const d = new Date(s * 1000);
      this.secCache = s;
      this.secText = `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} - ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    }
    return this.secText;
  }

  private iso(ms: number): string {
    const s = Math.floor(ms / 1000);
    if (s !== this.isoSec) { this.isoSec = s; this.isoText = new Date(s * 1000).toISOString().slice(0, 19); }
    return `${this.isoText}.${String(ms % 1000).padStart(3, '0')}Z`;
  }

  private gin(status: number, ns: number, client: string, method: string, path: string): string {
    return `[GIN] ${this.ginTime(this.t)} | ${status} | ${formatGinLatency(ns).padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)}  "${path}"`;
  }

  private slog(level: string, source: string, msg: string, rest = ''): string {
    const m = /[\s"=\\]/.test(msg) ? JSON.stringify(msg) : msg;
    return `time=${this.iso(this.t)} level=${level} source=${source} msg=${m}${rest ? ' ' + rest : ''}`;
  }

  /** Writes `lines` lines to `file`; resolves with the bytes written. */
  async write(file: string, lines: number): Promise<number> {
    const out = createWriteStream(file, { highWaterMark: 1 << 22 });
    let buf: string[] = [];
    let bytes = 0;
    let n = 0;
    const emit = (l: string) => { buf.push(l); n++; };
    const flush = async () => {
      const chunk = buf.join('\n') + '\n';
      buf = [];
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    };
    const r = this.rng;
    let burst: { src: string; left: number; gap: number } | undefined;
    while (n < lines) {
      this.t += Math.floor(r.between(0, 400));
      const roll = r.next();
      if (burst) {
        const [m, p, s] = PROBES[burst.left % PROBES.length]!;
        emit(this.gin(s, r.between(1e4, 4e5), burst.src, m, p));
        if (--burst.left === 0) burst = undefined;
        else this.t += burst.gap;
      } else if (roll < 0.0004) {
        // An outside scanner: 40 to 400 requests a few hundred ms apart (above 120 in 5 minutes triggers seed 1).
        burst = { src: r.pick(OUTSIDE), left: r.int(40, 400), gap: r.int(150, 900) };
      } else if (roll < 0.9325) {
        const src = roll < 0.70 ? r.pick(LAN) : roll < 0.85 ? r.pick(LOCAL) : r.pick(OUTSIDE);
        let w = r.next() * ROUTE_TOTAL;
        let route = ROUTES[0]!;
        for (const x of ROUTES) { w -= x[4]; if (w < 0) { route = x; break; } }
        emit(this.gin(route[2], r.between(route[3][0], route[3][1]), src, route[0], route[1]));
      } else if (roll < 0.9330) {
        // A model load (a few an hour): the scheduler, the runner's llama.cpp lines, the runner's start.
        const model = r.pick(MODELS);
        emit(this.slog('INFO', 'server.go:135', 'model will fit in available VRAM in single GPU, loading', `model=${model} library=cuda parallel=1 required="${r.between(4, 9).toFixed(1)} GiB"`));
        emit(this.slog('INFO', 'server.go:398', 'starting runner', `cmd="/usr/bin/ollama runner --model /usr/share/ollama/.ollama/models/blobs/sha256-${r.hex(16)} --port ${r.int(40000, 49999)}"`));
        emit(`time=${this.iso(this.t)} level=INFO source=runner.go:925 msg="starting go runner"`);
        for (let k = 0; k < 24; k++) emit(`llama_model_loader: - kv  ${k}: general.name str = ${model}`);
        emit(`load_tensors: offloaded ${r.int(20, 33)}/33 layers to GPU`);
        emit(`llama_context:      CUDA0 compute buffer size =   ${r.between(100, 300).toFixed(2)} MiB`);
        emit(`llama_kv_cache_unified: size = ${r.int(256, 380)}.00 MiB (  4096 cells,  32 layers,  1 seqs)`);
        this.t += r.int(800, 6000);
        emit(this.slog('INFO', 'server.go:1289', `llama runner started in ${r.between(0.8, 6).toFixed(2)} seconds`));
      } else if (roll < 0.9995) {
        // Runner and scheduler chatter at debug level (OLLAMA_DEBUG=1 servers write a lot of it).
        switch (r.int(0, 3)) {
          case 0: emit(`time=${this.iso(this.t)} level=DEBUG source=sched.go:${r.int(300, 600)} msg="context for request finished"`); break;
          case 1: emit(`time=${this.iso(this.t)} level=DEBUG source=server.go:${r.int(600, 900)} msg="completion request" images=0 prompt=${r.int(20, 4000)} format=""`); break;
          case 2: emit(`time=${this.iso(this.t)} level=DEBUG source=sched.go:${r.int(300, 600)} msg="runner with non-zero duration has gone idle, adding timer" modelPath=/usr/share/ollama/.ollama/models/blobs/sha256-${r.hex(16)} duration=5m0s`); break;
          default: emit(`time=${this.iso(this.t)} level=DEBUG source=cache.go:${r.int(100, 300)} msg="loading cache slot" id=0 cache=${r.int(0, 4096)} prompt=${r.int(20, 4000)} used=${r.int(0, 4000)} remaining=${r.int(0, 400)}`); break;
        }
      } else if (roll < 0.99985) {
        emit(this.slog('WARN', 'runner.go:157', 'truncating input prompt', `limit=4096 prompt=${r.int(4200, 9000)} keep=4 new=4096`));
      } else if (roll < 0.99995) {
        emit(this.slog('WARN', 'server.go:606', 'client connection closed before server finished loading, aborting load', `model=${r.pick(MODELS)}`));
      } else {
        emit(this.slog('ERROR', 'sched.go:456', 'error loading llama server', `error="llama runner process has terminated: exit status ${r.pick([1, 2, 137])}"`));
      }
      if (buf.length >= 8192) await flush();
    }
    await flush();
    await new Promise<void>((ok, fail) => out.end((e?: Error | null) => (e ? fail(e) : ok())));
    return bytes;
  }
}

/** A line count as the bench scripts take it: 500k, 1M, 8000000. `option` names the flag in the error. */
export function lineCount(s: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) throw new Error(`${option}: "${s}" is not a line count such as 1M or 500k`);
  return Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'm' ? 1e6 : m[2] ? 1e3 : 1));
}
