// The tuning file: trusted networks, known clients and trusted registries, declared once. It becomes macros
// (`ollama_trusted_src(1)`, `ollama_external_src(1)`, `ollama_trusted_registry(1)`) so detections stay plain
// SPL and a user can still override any macro with --macros.
import { join } from 'node:path';
import { ContentError, readYamlFile } from './yaml-source.js';
import { PACKAGE_ROOT } from './loader.js';
import { parseIp } from '../util/cidr.js';
import type { MacroTable } from '../spl/macros.js';

export const DEFAULT_TUNING_FILE = join(PACKAGE_ROOT, 'config', 'tuning.yml');

export interface Tuning {
  trusted_networks: string[];
  known_clients: string[];
  trusted_registries: string[];
  file: string;
}

const KEYS = ['trusted_networks', 'known_clients', 'trusted_registries'] as const;

export function loadTuning(file = DEFAULT_TUNING_FILE): Tuning {
  const docs = readYamlFile(file);
  const y = docs[0];
  const t: Tuning = { trusted_networks: [], known_clients: [], trusted_registries: [], file };
  if (!y) return t;
  if (typeof y.data !== 'object' || Array.isArray(y.data)) throw new ContentError(`${y.where([])}: the tuning file must be a mapping with ${KEYS.join(', ')}`);
  const data = y.data as Record<string, unknown>;
  for (const k of Object.keys(data)) {
    if (!(KEYS as readonly string[]).includes(k)) throw new ContentError(`${y.where([k])}: unknown key "${k}" (expected ${KEYS.join(', ')})`);
  }
  for (const k of KEYS) {
    const v = data[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) throw new ContentError(`${y.where([k])}: ${k} must be a list`);
    v.forEach((item, i) => {
      const s = typeof item === 'string' || typeof item === 'number' ? String(item).trim() : undefined;
      if (!s) throw new ContentError(`${y.where([k, i])}: ${k} entries must be text`);
      if (k === 'trusted_registries') {
        if (!/^(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/.test(s)) throw new ContentError(`${y.where([k, i])}: "${s}" is not a registry host (host, host:port or *.domain)`);
        t[k].push(s.toLowerCase());
      } else {
        if (!validCidr(s)) throw new ContentError(`${y.where([k, i])}: "${s}" is not an IP address or CIDR range`);
        t[k].push(s);
      }
    });
  }
  return t;
}

export function validCidr(s: string): boolean {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const ip = parseIp(addr);
  if (!ip || addr.includes('%')) return false;
  if (slash < 0) return true;
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (addr.includes(':') ? 128 : 32);
}

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Adds the tuning macros to the table (before user macro files, so those can override them). */
export function addTuningMacros(table: MacroTable, t: Tuning): void {
  const ranges = [...t.trusted_networks, ...t.known_clients].map((c) => (c.includes('/') ? c : `${c}/${c.includes(':') ? 128 : 32}`));
  const trusted = ranges.length ? ranges.map((c) => `cidrmatch(${q(c)}, $f$)`).join(' OR ') : 'false()';
  table.set({ name: 'ollama_trusted_src', args: ['f'], definition: `(${trusted})`, origin: `${t.file} (trusted_networks, known_clients)` });
  table.set({ name: 'ollama_external_src', args: ['f'], definition: `(isnotnull($f$) AND NOT (${trusted}))`, origin: `${t.file} (trusted_networks, known_clients)` });
  const exact = t.trusted_registries.filter((r) => !r.startsWith('*.'));
  const suffixes = t.trusted_registries.filter((r) => r.startsWith('*.')).map((r) => r.slice(1));
  const parts: string[] = [];
  if (exact.length) parts.push(`lower($f$) IN (${exact.map(q).join(', ')})`);
  for (const s of suffixes) parts.push(`like(lower($f$), ${q('%' + s)})`);
  table.set({ name: 'ollama_trusted_registry', args: ['f'], definition: parts.length ? `(${parts.join(' OR ')})` : 'false()', origin: `${t.file} (trusted_registries)` });
}
