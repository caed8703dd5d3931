// Ordinary use of an Ollama server, the background every simulated dataset is laid over: an Open WebUI
// container polling and chatting, the owner's CLI on the box (with its HEAD / heartbeat), a local tool on ::1,
// a LAN developer on the OpenAI-compatible API, model loads and the odd truncated prompt. Nothing here should
// raise an alert from the default detection set.
import type { LogBuilder } from './log-builder.js';
import type { Rng } from './rng.js';

export const WEBUI = '172.18.0.5';
export const LAN_DEV = '192.168.1.23';
export const MODELS = ['llama3.1:8b', 'qwen2.5-coder:7b', 'mistral:7b'] as const;
export const CURRENT_VERSION = '0.17.4';

const MIN = 60_000;

/** The start-up lines Ollama writes: config, blob counts, the listener with its version, the GPU. */
export function startupBanner(b: LogBuilder, ms: number, opts: { bind?: string; version?: string; origins?: string } = {}): void {
  const bind = opts.bind ?? '[::]:11434';
  const host = bind.startsWith('127.') || bind.startsWith('[::1]') ? `http://${bind}` : 'http://0.0.0.0:11434';
  const origins = opts.origins ?? 'http://localhost https://localhost http://127.0.0.1 https://127.0.0.1 http://0.0.0.0 https://0.0.0.0 app://* file://* tauri://* vscode-webview://*';
  b.slog(ms, 'INFO', 'routes.go:1511', 'server config', [['env', `map[CUDA_VISIBLE_DEVICES: HTTPS_PROXY: HTTP_PROXY: NO_PROXY: OLLAMA_CONTEXT_LENGTH:4096 OLLAMA_DEBUG:INFO OLLAMA_FLASH_ATTENTION:false OLLAMA_HOST:${host} OLLAMA_KEEP_ALIVE:5m0s OLLAMA_MAX_LOADED_MODELS:0 OLLAMA_MAX_QUEUE:512 OLLAMA_MODELS:/usr/share/ollama/.ollama/models OLLAMA_NUM_PARALLEL:1 OLLAMA_ORIGINS:[${origins}]]`]]);
  b.slog(ms + 2, 'INFO', 'images.go:522', 'total blobs: 14');
  b.slog(ms + 3, 'INFO', 'images.go:529', 'total unused blobs removed: 0');
  b.slog(ms + 5, 'INFO', 'routes.go:1564', `Listening on ${bind} (version ${opts.version ?? CURRENT_VERSION})`);
  b.slog(ms + 210, 'INFO', 'gpu.go:217', 'looking for compatible GPUs');
  b.slog(ms + 640, 'INFO', 'types.go:130', 'inference compute', [['id', 'GPU-3f1c7a2e-9b41-4c55-8e0d-2a6f1b9c7d10'], ['library', 'cuda'], ['variant', 'v12'], ['compute', '8.9'], ['driver', '12.4'], ['name', 'NVIDIA GeForce RTX 4090'], ['total', '23.6 GiB'], ['available', '23.1 GiB']]);
}

/** Loads a model into a runner; returns when the runner is ready. */
export function modelLoad(b: LogBuilder, rng: Rng, ms: number, opts: { count?: number } = {}): number {
  b.slog(ms, 'INFO', 'server.go:398', 'starting runner', [['cmd', `/usr/bin/ollama runner --model /usr/share/ollama/.ollama/models/blobs/sha256-${rng.hex(64)} --port ${rng.int(40000, 49999)}`]]);
  b.raw(ms + 40, [
    'llama_model_loader: loaded meta data with 29 key-value pairs and 292 tensors from /usr/share/ollama/.ollama/models/blobs (version GGUF V3 (latest))',
    'llama_model_loader: - type  f32:   66 tensors',
    'llama_model_loader: - type q4_K:  193 tensors',
  ]);
  b.add(ms + 900, 'llama_context:      CUDA0 compute buffer size =   258.50 MiB');
  const secs = rng.between(1.8, 4.2);
  const ready = ms + secs * 1000;
  b.slog(ready, 'INFO', 'server.go:1289', `llama runner started in ${secs.toFixed(2)} seconds`);
  if (opts.count !== undefined) b.slog(ready + 5, 'INFO', 'sched.go:473', 'loaded runners', [['count', opts.count]]);
  return ready;
}

export interface BackgroundOptions {
  /** Write the start-up banner at `start`. */
  banner?: boolean;
  /** Working hours for the web UI and the LAN developer (UTC hours); default: always. */
  workHours?: [number, number];
}

/** Fills [start, end) with ordinary traffic. */
export function ordinaryTraffic(b: LogBuilder, rng: Rng, start: number, end: number, opts: BackgroundOptions = {}): void {
  if (opts.banner) startupBanner(b, start);
  const working = (t: number) => {
    if (!opts.workHours) return true;
    const h = new Date(t).getUTCHours();
    return h >= opts.workHours[0] && h < opts.workHours[1];
  };
  // Open WebUI polls the model list and version every minute while someone has it open.
  for (let t = start + 3000; t < end; t += MIN) {
    if (!working(t)) continue;
    b.gin(t + rng.between(0, 400), 200, rng.between(180e3, 900e3), WEBUI, 'GET', '/api/tags');
    b.gin(t + rng.between(500, 900), 200, rng.between(20e3, 80e3), WEBUI, 'GET', '/api/version');
  }
  // Conversations through the web UI; switching model loads it.
  let loaded = '';
  for (let t = start + 20 * MIN * rng.next(); t < end - 5 * MIN; t += rng.between(6, 22) * MIN) {
    if (!working(t)) continue;
    const model = rng.pick(MODELS);
    b.gin(t, 200, rng.between(2e6, 9e6), WEBUI, 'POST', '/api/show');
    let c = t + 300;
    if (model !== loaded) { c = modelLoad(b, rng, t + 200); loaded = model; }
    const turns = rng.int(1, 4);
    for (let k = 0; k < turns; k++) {
      const lat = rng.between(1.5, 38) * 1e9;
      c += lat / 1e6 + rng.between(20, 90) * 1000;
      b.gin(c, 200, lat, WEBUI, 'POST', '/api/chat');
    }
    if (rng.chance(0.15)) {
      b.slog(c + 500, 'WARN', 'runner.go:157', 'truncating input prompt', [['limit', 4096], ['prompt', rng.int(4200, 9000)], ['keep', 4], ['new', 4096]]);
    }
  }
  // The owner on the box with the ollama CLI: HEAD / first, then the command's requests.
  for (let t = start + rng.between(10, 40) * MIN; t < end - 5 * MIN; t += rng.between(90, 300) * MIN) {
    b.gin(t, 200, rng.between(15e3, 60e3), '127.0.0.1', 'HEAD', '/');
    b.gin(t + 40, 200, rng.between(200e3, 900e3), '127.0.0.1', 'GET', '/api/tags');
    b.gin(t + 340, 200, rng.between(2e6, 6e6), '127.0.0.1', 'POST', '/api/show');
    const lat = rng.between(3, 95) * 1e9;
    b.gin(t + 340 + lat / 1e6, 200, lat, '127.0.0.1', 'POST', '/api/generate');
  }
  // A local monitoring tool on IPv6 loopback.
  for (let t = start + 7 * MIN; t < end; t += 47 * MIN) b.gin(t, 200, rng.between(30e3, 90e3), '::1', 'GET', '/api/ps');
  // A developer on the LAN using the OpenAI-compatible API (and now and then a wrong model name).
  for (let t = start + rng.between(2, 12) * MIN; t < end - 2 * MIN; t += rng.between(9, 35) * MIN) {
    if (!working(t)) continue;
    b.gin(t, 200, rng.between(300e3, 700e3), LAN_DEV, 'GET', '/v1/models');
    const lat = rng.between(0.8, 25) * 1e9;
    b.gin(t + 800 + lat / 1e6, 200, lat, LAN_DEV, 'POST', '/v1/chat/completions');
    if (rng.chance(0.2)) b.gin(t + 2000, 404, rng.between(400e3, 900e3), LAN_DEV, 'POST', '/v1/chat/completions');
  }
}

/** The owner pulls a model with the CLI: heartbeat, blob downloads, the pull's access line when it ends. */
export function localPull(b: LogBuilder, rng: Rng, t: number, src = '127.0.0.1'): void {
  b.gin(t, 200, rng.between(2e6, 4e6), src, 'HEAD', '/');
  b.slog(t + 900, 'INFO', 'download.go:177', `downloading ${rng.hex(12)} in 16 291 MB part(s)`);
  b.slog(t + 1200, 'INFO', 'download.go:177', `downloading ${rng.hex(12)} in 1 12 KB part(s)`);
  b.slog(t + 1400, 'INFO', 'download.go:177', `downloading ${rng.hex(12)} in 1 254 B part(s)`);
  b.gin(t + 134500, 200, 134.2e9, src, 'POST', '/api/pull');
}
