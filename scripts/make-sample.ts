// Writes samples/server.log: one day (2025-06-14, UTC) of an Ollama 0.12.6 server on gpu-box-01, with a
// local CLI user, an Open WebUI container polling and chatting, a LAN developer on the OpenAI-compatible API,
// model pulls and loads, a registry outage in the afternoon, and a scanner burst at night. Deterministic.
import { writeFileSync } from 'node:fs';
import { ginLine, slogLine } from '../src/sim/format.js';

let seed = 20250614;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const between = (a: number, b: number) => a + rand() * (b - a);
const pick = <T>(l: T[]): T => l[Math.floor(rand() * l.length)]!;

const DAY = Date.UTC(2025, 5, 14);
const at = (h: number, m: number, s = 0) => DAY + ((h * 60 + m) * 60 + s) * 1000;
const lines: Array<{ ms: number; seq: number; text: string }> = [];
let seq = 0;
const add = (ms: number, text: string) => lines.push({ ms: Math.round(ms), seq: seq++, text });
const gin = (ms: number, status: number, latNs: number, ip: string, method: string, path: string) => add(ms, ginLine(ms, status, latNs, ip, method, path));
const slog = (ms: number, level: string, src: string, msg: string, pairs: Array<[string, string | number]> = []) => add(ms, slogLine(ms, level, src, msg, pairs));

// --- start-up
const start = at(0, 0, 4);
slog(start, 'INFO', 'routes.go:1511', 'server config', [['env', 'map[CUDA_VISIBLE_DEVICES: HTTPS_PROXY: HTTP_PROXY: NO_PROXY: OLLAMA_CONTEXT_LENGTH:4096 OLLAMA_DEBUG:INFO OLLAMA_FLASH_ATTENTION:false OLLAMA_HOST:http://0.0.0.0:11434 OLLAMA_KEEP_ALIVE:5m0s OLLAMA_MAX_LOADED_MODELS:0 OLLAMA_MAX_QUEUE:512 OLLAMA_MODELS:/usr/share/ollama/.ollama/models OLLAMA_NUM_PARALLEL:1 OLLAMA_ORIGINS:[http://localhost https://localhost http://127.0.0.1 https://127.0.0.1 http://0.0.0.0 https://0.0.0.0 app://* file://* tauri://* vscode-webview://*]]']]);
slog(start + 2, 'INFO', 'images.go:522', 'total blobs: 14');
slog(start + 3, 'INFO', 'images.go:529', 'total unused blobs removed: 0');
slog(start + 5, 'INFO', 'routes.go:1564', 'Listening on [::]:11434 (version 0.12.6)');
slog(start + 210, 'INFO', 'gpu.go:217', 'looking for compatible GPUs');
slog(start + 640, 'INFO', 'types.go:130', 'inference compute', [['id', 'GPU-3f1c7a2e-9b41-4c55-8e0d-2a6f1b9c7d10'], ['library', 'cuda'], ['variant', 'v12'], ['compute', '8.9'], ['driver', '12.4'], ['name', 'NVIDIA GeForce RTX 4090'], ['total', '23.6 GiB'], ['available', '23.1 GiB']]);

const MODELS = ['llama3.1:8b', 'qwen2.5-coder:7b', 'mistral:7b'];
function modelLoad(ms: number, model: string): number {
  slog(ms, 'INFO', 'server.go:398', 'starting runner', [['cmd', `/usr/bin/ollama runner --model /usr/share/ollama/.ollama/models/blobs/sha256-${'8eeb52dfb3bb9aefdf9d1ef24b3bdbcfbf01aa9d0ab8e42b2ac6d2a5f1c0e7' + model.length} --port 41${Math.floor(between(100, 999))}`]]);
  add(ms + 40, 'llama_model_loader: loaded meta data with 29 key-value pairs and 292 tensors from /usr/share/ollama/.ollama/models/blobs (version GGUF V3 (latest))');
  add(ms + 41, 'llama_model_loader: - type  f32:   66 tensors');
  add(ms + 42, 'llama_model_loader: - type q4_K:  193 tensors');
  add(ms + 900, 'llama_context:      CUDA0 compute buffer size =   258.50 MiB');
  const secs = between(1.8, 4.2);
  slog(ms + secs * 1000, 'INFO', 'server.go:1289', `llama runner started in ${secs.toFixed(2)} seconds`);
  void model;
  return ms + secs * 1000;
}

// --- Open WebUI container: polls tags/version every 30 s during the working day, chats now and then
const WEBUI = '172.18.0.5';
for (let t = at(8, 0, 3); t < at(20, 0); t += 30000) {
  gin(t + between(0, 400), 200, between(180e3, 900e3), WEBUI, 'GET', '/api/tags');
  gin(t + between(500, 900), 200, between(20e3, 80e3), WEBUI, 'GET', '/api/version');
}
let loaded = '';
for (let t = at(8, 20); t < at(19, 40); t += between(6, 22) * 60000) {
  const model = pick(MODELS);
  gin(t, 200, between(2e6, 9e6), WEBUI, 'POST', '/api/show');
  let ready = t + 300;
  if (model !== loaded) { ready = modelLoad(t + 200, model); loaded = model; }
  const turns = 1 + Math.floor(between(0, 4));
  let c = ready;
  for (let k = 0; k < turns; k++) {
    const lat = between(1.5, 38) * 1e9;
    c += lat / 1e6 + between(20, 90) * 1000;
    gin(c, 200, lat, WEBUI, 'POST', '/api/chat');
  }
  if (rand() < 0.15) {
    slog(c + 500, 'WARN', 'runner.go:157', 'truncating input prompt', [['limit', 4096], ['prompt', Math.floor(between(4200, 9000))], ['keep', 4], ['new', 4096]]);
  }
}

// --- the owner on the box itself, with the ollama CLI (HEAD / heartbeat first)
for (const [h, m] of [[7, 41], [12, 5], [17, 52], [22, 30]] as const) {
  let t = at(h, m, Math.floor(between(0, 50)));
  gin(t, 200, between(15e3, 60e3), '127.0.0.1', 'HEAD', '/');
  gin(t += 40, 200, between(200e3, 900e3), '127.0.0.1', 'GET', '/api/tags');
  gin(t += 300, 200, between(2e6, 6e6), '127.0.0.1', 'POST', '/api/show');
  const lat = between(3, 95) * 1e9;
  gin(t += lat / 1e6, 200, lat, '127.0.0.1', 'POST', '/api/generate');
}
// IPv6 loopback from a local tool
for (let t = at(9, 30); t < at(18, 0); t += 47 * 60000) gin(t, 200, between(30e3, 90e3), '::1', 'GET', '/api/ps');

// --- a developer on the LAN using the OpenAI-compatible API
const DEV = '192.168.1.23';
for (let t = at(10, 2); t < at(16, 30); t += between(9, 35) * 60000) {
  gin(t, 200, between(300e3, 700e3), DEV, 'GET', '/v1/models');
  const lat = between(0.8, 25) * 1e9;
  gin(t + 800 + lat / 1e6, 200, lat, DEV, 'POST', '/v1/chat/completions');
  if (rand() < 0.2) gin(t + 2000, 404, between(400e3, 900e3), DEV, 'POST', '/v1/chat/completions');
}

// --- a successful model pull in the morning
{
  const t = at(9, 12, 7);
  gin(t, 200, between(2e6, 4e6), '127.0.0.1', 'HEAD', '/');
  slog(t + 900, 'INFO', 'download.go:177', 'downloading 6a0746a1ec1a in 16 291 MB part(s)');
  slog(t + 1200, 'INFO', 'download.go:177', 'downloading 4fa551d4f938 in 1 12 KB part(s)');
  slog(t + 1400, 'INFO', 'download.go:177', 'downloading 8ab4849b038c in 1 254 B part(s)');
  gin(t + 134000, 200, 134.2e9, '127.0.0.1', 'POST', '/api/pull');
}

// --- registry outage in the afternoon: a pull keeps failing
{
  let t = at(14, 21, 10);
  gin(t, 200, between(10e3, 40e3), '127.0.0.1', 'HEAD', '/');
  slog(t + 300, 'INFO', 'images.go:1142', 'request failed: Get "https://registry.ollama.ai/v2/library/qwen2.5/manifests/14b": dial tcp: lookup registry.ollama.ai on 127.0.0.53:53: no such host');
  gin(t + 310, 200, 312e6, '127.0.0.1', 'POST', '/api/pull');
  t = at(14, 26, 40);
  gin(t, 200, between(10e3, 40e3), '127.0.0.1', 'HEAD', '/');
  slog(t + 900, 'INFO', 'download.go:177', 'downloading 2049f5674b1e in 16 566 MB part(s)');
  for (let k = 0; k < 4; k++) {
    slog(t + 5000 + k * 4000, 'INFO', 'download.go:295', `2049f5674b1e part ${k + 2} attempt ${k} failed: Get "https://dd20bb891979d25aebc8bec07b2b3bbc.r2.cloudflarestorage.com/ollama/docker/registry/v2/blobs/sha256/20/2049f5674b1e/data": dial tcp 104.18.38.195:443: i/o timeout, retrying in ${2 ** (k + 1)}s`);
  }
  slog(t + 21000, 'WARN', 'download.go:230', 'failed to get direct URL; backing off and retrying', [['err', 'Get "https://registry.ollama.ai/v2/library/qwen2.5/blobs/sha256:2049f5674b1e": dial tcp 104.21.75.227:443: connect: connection refused']]);
  slog(t + 29000, 'WARN', 'download.go:230', 'failed to get direct URL; backing off and retrying', [['err', 'Get "https://registry.ollama.ai/v2/library/qwen2.5/blobs/sha256:2049f5674b1e": dial tcp 104.21.75.227:443: connect: connection refused']]);
  gin(t + 60000, 200, 60.1e9, '127.0.0.1', 'POST', '/api/pull');
}

// --- the attack: a scanner walks the API from the internet at night
{
  const SCANNER = '203.0.113.45';
  const probes: Array<[string, string, number]> = [
    ['GET', '/', 200], ['HEAD', '/', 200], ['GET', '/api/version', 200], ['GET', '/api/tags', 200], ['GET', '/api/ps', 200],
    ['GET', '/v1/models', 200], ['POST', '/api/show', 400], ['GET', '/api/show', 405], ['GET', '/api/pull', 405],
    ['GET', '/admin', 404], ['GET', '/.env', 404], ['GET', '/api/v1/models', 404], ['GET', '/v1beta/models', 404],
    ['POST', '/v1/chat/completions', 400], ['GET', '/api/embeddings', 405], ['OPTIONS', '/api/chat', 204],
    ['GET', '/api/tags?limit=1000', 200], ['GET', '/wp-login.php', 404], ['GET', '/server-status', 404],
    ['GET', '/../../etc/passwd', 404], ['GET', '/api/tags" | 200 | 1s | 127.0.0.1 | GET "/', 404], ['GET', '/%1b[31mred', 404],
    ['GET', '/api/\x1b]0;pwned\x07', 404],
  ];
  let t = at(3, 15, 12);
  for (let k = 0; k < 260; k++) {
    const [m, path, status] = probes[k % probes.length]!;
    t += between(200, 950);
    gin(t, status, between(8e3, 600e3), SCANNER, m, path);
  }
}

lines.sort((a, b) => a.ms - b.ms || a.seq - b.seq);
const out = process.argv[2] ?? 'samples/server.log';
writeFileSync(out, lines.map((l) => l.text).join('\n') + '\n');
process.stdout.write(`wrote ${lines.length} lines to ${out}\n`);
