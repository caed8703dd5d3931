// Attack and near-miss scenarios, laid over ordinary traffic. Request shapes follow the public proof-of-concept
// code for each attack (docs/simulator.md lists the sources); only the log lines they leave are written.
import type { LogBuilder } from './log-builder.js';
import type { Rng } from './rng.js';
import { LAN_DEV, WEBUI, localPull, modelLoad, startupBanner } from './background.js';

export interface Scenario {
  name: string;
  /** attack: raises alerts naming `actor`; benign: a near miss the default set stays silent on; fixture: a line shape for a Splunk-faithful test. */
  kind: 'attack' | 'benign' | 'fixture';
  summary: string;
  actor?: string;
  build(b: LogBuilder, rng: Rng, t0: number): void;
}

const S = 1000;
const MIN = 60 * S;
const sha = (rng: Rng) => `sha256:${rng.hex(64)}`;
const us = (rng: Rng, a = 8, b = 400) => rng.between(a, b) * 1e3;

function burst(b: LogBuilder, rng: Rng, t: number, src: string, reqs: Array<[string, string, number]>, gapMs: [number, number] = [200, 900]): number {
  for (const [m, path, status] of reqs) {
    t += rng.between(gapMs[0], gapMs[1]);
    b.gin(t, status, us(rng), src, m, path);
  }
  return t;
}

function panicTrace(b: LogBuilder, t: number, first: string, frames: string[]): void {
  b.raw(t, [first, '', 'goroutine 14 [running]:', ...frames]);
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'fingerprint-scan', kind: 'attack', actor: '198.51.100.23',
    summary: 'Internet scanners fingerprint the server with two or three requests each (nuclei / Tsunami style).',
    build(b, rng, t0) {
      burst(b, rng, t0, '198.51.100.23', [['GET', '/', 200], ['GET', '/api/version', 200], ['GET', '/api/tags', 200]]);
      burst(b, rng, t0 + 17 * MIN, '2001:db8:5ca::17', [['GET', '/', 200], ['GET', '/api/tags', 200]]);
    },
  },
  {
    name: 'api-flood', kind: 'attack', actor: '203.0.113.45',
    summary: 'Two clients hammer the API: 260 requests from an IPv4 address and 150 from an IPv6 one, each within five minutes.',
    build(b, rng, t0) {
      const probes: Array<[string, string, number]> = [['GET', '/', 200], ['GET', '/api/version', 200], ['GET', '/api/tags', 200], ['GET', '/api/ps', 200], ['GET', '/v1/models', 200], ['POST', '/api/show', 400], ['GET', '/admin', 404], ['GET', '/.env', 404], ['POST', '/v1/chat/completions', 400], ['GET', '/api/pull', 405]];
      let t = t0 + 10 * S;
      for (let k = 0; k < 260; k++) { t += rng.between(300, 1000); const [m, p, s] = probes[k % probes.length]!; b.gin(t, s, us(rng), '203.0.113.45', m, p); }
      t = t0 + 20 * MIN + 5 * S;
      for (let k = 0; k < 150; k++) { t += rng.between(800, 1500); const [m, p, s] = probes[(k * 3) % probes.length]!; b.gin(t, s, us(rng), '2001:db8:bad::45', m, p); }
    },
  },
  {
    name: 'inference-flood', kind: 'attack', actor: '198.51.100.77',
    summary: 'One outside client keeps 180 long generations running within ten minutes (Splunk\'s prompt-injection threshold).',
    build(b, rng, t0) {
      for (let k = 0; k < 180; k++) b.gin(t0 + 30 * S + k * 3 * S, 200, rng.between(31, 58) * 1e9, '198.51.100.77', 'POST', '/api/generate');
    },
  },
  {
    name: 'llmjacking', kind: 'attack', actor: '198.51.100.140',
    summary: 'Two outside addresses use the GPU for free: dozens of long chat completions over an hour, minutes-long answers included.',
    build(b, rng, t0) {
      let c = modelLoad(b, rng, t0, { count: 2 });
      for (let k = 0; k < 42; k++) { const lat = rng.between(5, 125) * 1e9; c += lat / 1e6 / 3 + rng.between(10, 40) * S; b.gin(c, 200, lat, '198.51.100.140', 'POST', '/v1/chat/completions'); }
      c = t0 + 4 * MIN;
      for (let k = 0; k < 24; k++) { const lat = rng.between(20, 70) * 1e9; c += rng.between(60, 120) * S; b.gin(c, 200, lat, '203.0.113.201', 'POST', '/api/chat'); }
    },
  },
  {
    name: 'model-enumeration', kind: 'attack', actor: '198.51.100.61',
    summary: 'An outside client guesses model names through the OpenAI, Gemini and Ollama APIs and gets 404s.',
    build(b, rng, t0) {
      const reqs: Array<[string, string, number]> = [];
      for (let k = 0; k < 8; k++) reqs.push(['POST', '/v1/chat/completions', 404]);
      reqs.push(['POST', '/v1beta/models/gemini-1.5-pro:generateContent', 404], ['POST', '/v1beta/models/gemini-2.0-flash:generateContent', 404]);
      for (let k = 0; k < 3; k++) reqs.push(['POST', '/api/chat', 404]);
      reqs.push(['POST', '/api/show', 404], ['POST', '/v1/chat/completions', 200]);
      burst(b, rng, t0, '198.51.100.61', reqs, [2000, 9000]);
    },
  },
  {
    name: 'slow-metadata-reads', kind: 'attack', actor: '198.51.100.88',
    summary: 'An outside client\'s reads of model metadata take close to a minute or more (Splunk\'s exfiltration heuristic).',
    build(b, rng, t0) {
      for (let k = 0; k < 3; k++) b.gin(t0 + k * 2 * MIN, 200, rng.between(56, 59.5) * 1e9, '198.51.100.88', 'POST', '/api/show');
      for (let k = 0; k < 2; k++) b.gin(t0 + 7 * MIN + k * 2 * MIN, 200, rng.between(62, 90) * 1e9, '198.51.100.88', 'GET', '/api/tags');
    },
  },
  {
    name: 'probllama', kind: 'attack', actor: '203.0.113.9',
    summary: 'CVE-2024-37032: pull from a rogue registry whose manifest carries a path-traversal digest, then push it back.',
    build(b, rng, t0) {
      b.slog(t0 + 400, 'INFO', 'download.go:175', 'downloading ./../../../. in 1 10 B part(s)');
      b.gin(t0 + 900, 200, 612e6, '203.0.113.9', 'POST', '/api/pull');
      b.slog(t0 + 4 * S, 'INFO', 'upload.go:112', 'uploading ./../../../. in 1 10 B part(s)');
      b.gin(t0 + 4 * S + 700, 200, 931e6, '203.0.113.9', 'POST', '/api/push');
    },
  },
  {
    name: 'multi-stage-intrusion', kind: 'attack', actor: '198.51.100.150',
    summary: 'One outside address works through a whole intrusion in two hours: reconnaissance, model-name guessing, a version probe then model tampering, model theft by push, then free GPU use.',
    build(b, rng, t0) {
      const x = '198.51.100.150';
      burst(b, rng, t0, x, [['GET', '/', 200], ['GET', '/api/version', 200], ['GET', '/api/tags', 200], ['GET', '/api/ps', 200], ['POST', '/api/show', 200]], [2000, 6000]);
      const guesses: Array<[string, string, number]> = [];
      for (let k = 0; k < 5; k++) guesses.push(['POST', '/v1/chat/completions', 404]);
      guesses.push(['POST', '/api/chat', 404], ['POST', '/api/show', 404]);
      burst(b, rng, t0 + 12 * MIN, x, guesses, [3000, 9000]);
      burst(b, rng, t0 + 25 * MIN, x, [['GET', '/api/version', 200], ['POST', '/api/pull', 200], ['POST', '/api/create', 200], ['DELETE', '/api/delete', 200]], [5000, 20000]);
      const d = rng.hex(12);
      b.slog(t0 + 41 * MIN, 'INFO', 'upload.go:112', `uploading ${d} in 8 512 MB part(s)`);
      b.slog(t0 + 44 * MIN, 'INFO', 'images.go:1142', `request failed: Post "http://exfil.example:5000/v2/library/llama3/blobs/uploads/": dial tcp ${x}:5000: i/o timeout`);
      b.gin(t0 + 48 * MIN, 200, 7 * 60e9, x, 'POST', '/api/push');
      let c = t0 + 62 * MIN;
      for (let k = 0; k < 34; k++) { const lat = rng.between(8, 40) * 1e9; c += lat / 1e6 / 4 + rng.between(20, 60) * S; b.gin(c, 200, lat, x, 'POST', '/v1/chat/completions'); }
    },
  },
  {
    name: 'rogue-registry-pull', kind: 'attack', actor: '198.51.100.31',
    summary: 'A version check, then pulls from attacker registries (CVE-2025-51471 token capture, CVE-2025-1975 style).',
    build(b, rng, t0) {
      b.gin(t0, 200, us(rng), '198.51.100.31', 'GET', '/api/version');
      const t = t0 + 3 * MIN;
      b.slog(t + 200, 'INFO', 'images.go:1142', 'request failed: Get "http://token-capture:8000/v2/library/test/manifests/latest": dial tcp: lookup token-capture on 127.0.0.53:53: no such host');
      b.gin(t + 260, 200, 61e6, '198.51.100.31', 'POST', '/api/pull');
      b.slog(t + 40 * S, 'INFO', 'images.go:1142', 'request failed: Get "http://malicious-registry-1975:8081/v2/poc/crash/manifests/latest": dial tcp 198.51.100.31:8081: connect: connection refused');
      b.gin(t + 40 * S + 80, 200, 18e6, '198.51.100.31', 'POST', '/api/pull');
    },
  },
  {
    name: 'model-theft-push', kind: 'attack', actor: '203.0.113.77',
    summary: 'An outside client pushes a local model to its own registry (model theft), with upload retries.',
    build(b, rng, t0) {
      const d = '6a0746a1ec1a';
      b.slog(t0 + 2 * S, 'INFO', 'upload.go:112', `uploading ${d} in 16 291 MB part(s)`);
      b.slog(t0 + 9 * MIN, 'INFO', 'upload.go:290', `${d} part 3 attempt 0 failed: Patch "http://exfil.example:5000/v2/library/llama3/blobs/uploads/${rng.hex(32)}": write tcp 10.0.0.4:51234->203.0.113.77:5000: write: connection reset by peer, retrying in 1s`);
      b.slog(t0 + 9 * MIN + 1200, 'INFO', 'images.go:1142', 'request failed: Post "http://exfil.example:5000/v2/library/llama3/blobs/uploads/": dial tcp 203.0.113.77:5000: i/o timeout');
      b.gin(t0 + 35 * MIN + 10 * S, 200, (35 * 60 + 10) * 1e9, '203.0.113.77', 'POST', '/api/push');
    },
  },
  {
    name: 'bleeding-llama', kind: 'attack', actor: '198.51.100.99',
    summary: 'CVE-2026-7482: upload a crafted GGUF, create a quantized model from it, push the leaked heap to an outside registry.',
    build(b, rng, t0) {
      const d = sha(rng);
      b.gin(t0, 404, us(rng), '198.51.100.99', 'HEAD', `/api/blobs/${d}`);
      b.gin(t0 + 2 * S, 201, 188e3, '198.51.100.99', 'POST', `/api/blobs/${d}`);
      b.gin(t0 + 9 * S, 200, 4.2e9, '198.51.100.99', 'POST', '/api/create');
      b.slog(t0 + 12 * S, 'INFO', 'upload.go:112', `uploading ${rng.hex(12)} in 1 4 MB part(s)`);
      b.gin(t0 + 15 * S, 200, 2.9e9, '198.51.100.99', 'POST', '/api/push');
    },
  },
  {
    name: 'gguf-crash', kind: 'attack', actor: '203.0.113.66',
    summary: 'A malformed GGUF blob crashes the model parser (CVE-2024-39720 family); systemd restarts the server.',
    build(b, rng, t0) {
      const d = sha(rng);
      b.gin(t0, 200, us(rng), '203.0.113.66', 'GET', '/api/version');
      b.gin(t0 + 1 * S, 200, 27e3, '203.0.113.66', 'HEAD', '/');
      b.gin(t0 + 2 * S, 404, us(rng), '203.0.113.66', 'HEAD', `/api/blobs/${d}`);
      b.gin(t0 + 3 * S, 201, 187e3, '203.0.113.66', 'POST', `/api/blobs/${d}`);
      panicTrace(b, t0 + 3 * S + 50, 'panic: runtime error: makeslice: len out of range', [
        'github.com/ollama/ollama/fs/ggml.newArray[...](...)',
        '\tgithub.com/ollama/ollama/fs/ggml/gguf.go:404',
        'github.com/ollama/ollama/fs/ggml.readGGUFArray(0xc0001a2000, {0x5a3b40, 0xc000514000})',
        '\tgithub.com/ollama/ollama/fs/ggml/gguf.go:452 +0x1d5',
        'github.com/ollama/ollama/server.(*Server).CreateHandler.func1()',
        '\tgithub.com/ollama/ollama/server/create.go:151 +0x6e5',
      ]);
      startupBanner(b, t0 + 9 * S);
    },
  },
  {
    name: 'create-path-oracle', kind: 'attack', actor: '198.51.100.54',
    summary: 'CVE-2024-39719: dozens of /api/create calls with guessed server paths, each refused with 400.',
    build(b, rng, t0) {
      const reqs: Array<[string, string, number]> = [];
      for (let k = 0; k < 20; k++) reqs.push(['POST', '/api/create', 400]);
      burst(b, rng, t0, '198.51.100.54', reqs, [1000, 5000]);
    },
  },
  {
    name: 'dns-rebinding', kind: 'attack', actor: 'gpu-box-01',
    summary: 'CVE-2024-28224 after the fix: a web page drives the loopback server; the Host and CORS guards refuse it with 403.',
    build(b, rng, t0) {
      b.gin(t0, 403, 9e3, '127.0.0.1', 'OPTIONS', '/api/pull');
      b.gin(t0 + 2 * S, 403, 8e3, '127.0.0.1', 'POST', '/api/create');
      b.gin(t0 + 3 * S, 403, 7e3, '127.0.0.1', 'POST', '/api/push');
      b.gin(t0 + 4 * S, 403, 8e3, '127.0.0.1', 'GET', '/api/tags');
    },
  },
  {
    name: 'cloud-account-abuse', kind: 'attack', actor: '203.0.113.150',
    summary: 'An outside client reads the server\'s ollama.com account, uses its cloud web fetch and signs it out.',
    build(b, rng, t0) {
      burst(b, rng, t0, '203.0.113.150', [['POST', '/api/me', 200], ['POST', '/api/experimental/web_fetch', 200], ['POST', '/api/signout', 200]], [5000, 20000]);
    },
  },
  {
    name: 'model-tampering', kind: 'attack', actor: '198.51.100.200',
    summary: 'CVE-2025-63389: an outside client overwrites a model (create without blobs), copies it over a trusted name and deletes others.',
    build(b, rng, t0) {
      burst(b, rng, t0, '198.51.100.200', [['GET', '/api/tags', 200], ['POST', '/api/create', 200], ['POST', '/api/copy', 200], ['DELETE', '/api/delete', 200], ['DELETE', '/api/delete', 200], ['DELETE', '/api/delete', 404], ['DELETE', '/api/delete', 200]], [3000, 15000]);
    },
  },
  {
    name: 'queue-exhaustion', kind: 'attack', actor: '203.0.113.45',
    summary: 'Requests pile up beyond OLLAMA_MAX_QUEUE: a burst of 503 "server busy" answers.',
    build(b, rng, t0) {
      for (let k = 0; k < 40; k++) b.gin(t0 + k * 4 * S, 200, rng.between(20, 40) * 1e9, '203.0.113.45', 'POST', '/api/generate');
      for (let k = 0; k < 25; k++) b.gin(t0 + 60 * S + k * 6 * S, 503, us(rng), k % 5 === 0 ? WEBUI : '203.0.113.45', 'POST', k % 5 === 0 ? '/api/chat' : '/api/generate');
    },
  },
  {
    name: 'context-stuffing', kind: 'attack', actor: '198.51.100.12',
    summary: 'Oversized prompts from one client: a run of "truncating input prompt" warnings, some 14 times the context.',
    build(b, rng, t0) {
      for (let k = 0; k < 14; k++) {
        const t = t0 + k * 18 * S;
        b.slog(t, 'WARN', 'runner.go:157', 'truncating input prompt', [['limit', 4096], ['prompt', k % 3 === 0 ? 60000 : rng.int(9000, 30000)], ['keep', 4], ['new', 4096]]);
        b.gin(t + rng.between(4, 12) * S, 200, rng.between(4, 12) * 1e9, '198.51.100.12', 'POST', '/api/generate');
      }
    },
  },
  {
    name: 'model-swap-thrashing', kind: 'attack', actor: '203.0.113.88',
    summary: 'An outside client requests eight different models in a few minutes, forcing loads until memory runs out.',
    build(b, rng, t0) {
      let t = t0;
      for (let k = 0; k < 8; k++) {
        const ready = modelLoad(b, rng, t + 100, { count: Math.min(k + 1, 3) });
        b.gin(ready + 1500, 200, (ready + 1500 - t) * 1e6, '203.0.113.88', 'POST', '/api/generate');
        t = ready + rng.between(20, 40) * S;
      }
      for (let k = 0; k < 2; k++) {
        b.slog(t + k * 20 * S, 'WARN', 'sched.go:187', 'NewLlamaServer failed', [['model', `/usr/share/ollama/.ollama/models/blobs/sha256-${rng.hex(64)}`], ['error', 'model requires more system memory (40.0 GiB) than is available (12.1 GiB)']]);
        b.gin(t + k * 20 * S + 30, 500, 1.2e9, '203.0.113.88', 'POST', '/api/generate');
      }
    },
  },
  {
    name: 'runner-crash', kind: 'attack', actor: '198.51.100.45',
    summary: 'Crafted inputs from one outside client make the llama runner die three times in ten minutes (CVE-2025-15514 style).',
    build(b, rng, t0) {
      for (let k = 0; k < 3; k++) {
        const t = t0 + k * 3 * MIN;
        b.slog(t, 'ERROR', 'sched.go:455', 'error loading llama server', [['error', 'llama runner process has terminated: exit status 2']]);
        b.gin(t + 40, 500, rng.between(1, 3) * 1e9, '198.51.100.45', 'POST', '/api/chat');
      }
    },
  },
  {
    name: 'runner-crash-err-key', kind: 'fixture',
    summary: 'Runner failures logged with an err= key, the only shape Splunk\'s RCE rule can read (Ollama writes error=).',
    build(b, rng, t0) {
      for (let k = 0; k < 3; k++) b.slog(t0 + k * 4 * MIN, 'ERROR', 'server.go:612', 'llama runner exited', [['err', 'exit status 2']]);
    },
  },
  {
    name: 'vulnerable-exposed-listener', kind: 'attack', actor: 'gpu-box-01',
    summary: 'The server restarts listening on all interfaces with version 0.1.32, below the Probllama fix, with OLLAMA_ORIGINS=*.',
    build(b, rng, t0) { startupBanner(b, t0, { version: '0.1.32', origins: '*' }); },
  },
  {
    name: 'spoofed-loopback', kind: 'attack', actor: 'gpu-box-01',
    summary: 'Management calls logged as 127.0.0.1 with no CLI heartbeat: an outside client forging X-Forwarded-For.',
    build(b, rng, t0) {
      b.gin(t0, 200, 412e6, '127.0.0.1', 'POST', '/api/pull');
      b.gin(t0 + 40 * S, 200, 38e6, '127.0.0.1', 'POST', '/api/copy');
      b.gin(t0 + 70 * S, 200, 3e6, '127.0.0.1', 'DELETE', '/api/delete');
    },
  },
  {
    name: 'registry-outage', kind: 'attack', actor: 'gpu-box-01',
    summary: 'The owner\'s pull fails while the registry is unreachable: INFO request failures and WARN retries (availability, low risk).',
    build(b, rng, t0) {
      b.gin(t0, 200, 20e3, '127.0.0.1', 'HEAD', '/');
      b.slog(t0 + 300, 'INFO', 'images.go:1142', 'request failed: Get "https://registry.ollama.ai/v2/library/qwen2.5/manifests/14b": dial tcp: lookup registry.ollama.ai on 127.0.0.53:53: no such host');
      b.gin(t0 + 310, 200, 300e6, '127.0.0.1', 'POST', '/api/pull');
      const t = t0 + 5 * MIN;
      b.gin(t, 200, 20e3, '127.0.0.1', 'HEAD', '/');
      b.slog(t + 900, 'INFO', 'download.go:177', 'downloading 2049f5674b1e in 16 566 MB part(s)');
      for (let k = 0; k < 3; k++) b.slog(t + 5 * S + k * 4 * S, 'INFO', 'download.go:295', `2049f5674b1e part ${k + 2} attempt ${k} failed: Get "https://dd20bb891979d25aebc8bec07b2b3bbc.r2.cloudflarestorage.com/ollama/docker/registry/v2/blobs/sha256/20/2049f5674b1e/data": dial tcp 104.18.38.195:443: i/o timeout, retrying in ${2 ** (k + 1)}s`);
      for (let k = 0; k < 2; k++) b.slog(t + 21 * S + k * 8 * S, 'WARN', 'download.go:230', 'failed to get direct URL; backing off and retrying', [['err', 'Get "https://registry.ollama.ai/v2/library/qwen2.5/blobs/sha256:2049f5674b1e": dial tcp 104.21.75.227:443: connect: connection refused']]);
      b.gin(t + 60 * S, 200, 59.5e9, '127.0.0.1', 'POST', '/api/pull');
    },
  },
  // ---- near misses: ordinary activity that looks like an attack to a naive rule
  {
    name: 'busy-internal-clients', kind: 'benign',
    summary: 'Open WebUI and a LAN batch job send hundreds of requests in minutes, with long generations: heavy but trusted.',
    build(b, rng, t0) {
      for (let k = 0; k < 200; k++) b.gin(t0 + k * 1200, 200, us(rng), WEBUI, k % 2 ? 'GET' : 'POST', k % 2 ? '/api/tags' : '/api/show');
      for (let k = 0; k < 60; k++) b.gin(t0 + 10 * MIN + k * 50 * S, 200, rng.between(31, 90) * 1e9, LAN_DEV, 'POST', '/v1/chat/completions');
    },
  },
  {
    name: 'lan-admin', kind: 'benign',
    summary: 'An administrator on the LAN checks the version, pulls from the official registry, copies, creates and deletes models, and a model author pushes from the box.',
    build(b, rng, t0) {
      b.gin(t0, 200, us(rng), '192.168.1.10', 'GET', '/api/version');
      b.slog(t0 + 60 * S, 'INFO', 'download.go:177', `downloading ${rng.hex(12)} in 16 291 MB part(s)`);
      b.gin(t0 + 2 * MIN, 200, 120e9, '192.168.1.10', 'POST', '/api/pull');
      b.gin(t0 + 3 * MIN, 200, 40e6, '192.168.1.10', 'POST', '/api/copy');
      const d = sha(rng);
      b.gin(t0 + 4 * MIN, 404, us(rng), '192.168.1.10', 'HEAD', `/api/blobs/${d}`);
      b.gin(t0 + 4 * MIN + 2 * S, 201, 3e9, '192.168.1.10', 'POST', `/api/blobs/${d}`);
      b.gin(t0 + 4 * MIN + 9 * S, 200, 6e9, '192.168.1.10', 'POST', '/api/create');
      b.gin(t0 + 6 * MIN, 200, 5e6, '192.168.1.10', 'DELETE', '/api/delete');
      // The owner publishes a model with the CLI from the box itself.
      const t = t0 + 20 * MIN;
      b.gin(t, 200, 20e3, '127.0.0.1', 'HEAD', '/');
      b.gin(t + 1 * S, 200, 5e6, '127.0.0.1', 'POST', '/api/create');
      b.gin(t + 9 * S, 200, 20e3, '127.0.0.1', 'HEAD', '/');
      b.slog(t + 10 * S, 'INFO', 'upload.go:112', `uploading ${rng.hex(12)} in 16 291 MB part(s)`);
      b.gin(t + 10 * S + 12 * MIN, 200, 12 * 60e9, '127.0.0.1', 'POST', '/api/push');
      localPull(b, rng, t0 + 40 * MIN);
    },
  },
  {
    name: 'client-aborts', kind: 'benign',
    summary: 'Impatient users close the browser while a model loads: WARN "client connection closed" and INFO aborts, which Splunk\'s network rule mistakes for network trouble.',
    build(b, rng, t0) {
      for (let k = 0; k < 3; k++) {
        const t = t0 + k * 7 * MIN;
        b.slog(t, 'WARN', 'sched.go:640', 'client connection closed before server finished loading, aborting load');
        b.slog(t + 2, 'ERROR', 'sched.go:306', 'error loading llama server', [['error', 'timed out waiting for llama runner to start: context canceled']]);
        b.gin(t + 5, 499, 4.1e9, WEBUI, 'POST', '/api/chat');
        b.slog(t + 3 * MIN, 'INFO', 'runner.go:634', 'aborting completion request due to client closing the connection');
      }
    },
  },
  {
    name: 'planned-restart', kind: 'benign',
    summary: 'The owner upgrades Ollama: an orderly restart on loopback with a current version, then a model load per client.',
    build(b, rng, t0) {
      startupBanner(b, t0);
      modelLoad(b, rng, t0 + 30 * S, { count: 1 });
    },
  },
];

export function scenarioByName(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
