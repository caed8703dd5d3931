// Where the risk commands read from: the ledger in --state DIR (written by watch or scan --state), or a scan
// of the FILEs given, run now (kept in --state DIR when given too).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { UsageError } from './options.js';
import type { Io } from './io.js';
import { runScan, type ScanValues } from './scan.js';
import { RiskStore } from '../risk/store.js';
import { loadIncidentConfig } from '../risk/incident-config.js';
import type { IncidentConfig } from '../risk/incidents.js';
import { applyAction, LifecycleError, type Action } from '../risk/lifecycle.js';

export async function openLedger(cmd: string, values: ScanValues, files: string[], io: Io): Promise<{ store: RiskStore; config: IncidentConfig }> {
  if (files.length) {
    const s = await runScan(values, files, io);
    return { store: s.store, config: s.incidentConfig };
  }
  return { store: openState(cmd, values.state), config: loadIncidentConfig(values['risk-rules']) };
}

export function openState(cmd: string, state: string | undefined): RiskStore {
  if (!state) throw new UsageError(`${cmd} needs --state DIR (where watch or scan --state keeps findings), or log FILEs to scan`);
  if (!existsSync(join(state, 'state.db'))) throw new UsageError(`${state}: no findings stored here (no state.db); run watch or scan --state ${state} first`);
  return RiskStore.open(state, true);
}

/** Who made a change: --author, else the login name. */
export function author(given: string | undefined): string {
  if (given !== undefined) {
    if (!given.trim() || /[\u0000-\u001f\u007f]/.test(given)) throw new UsageError('--author needs a name without control characters');
    return given;
  }
  try { return userInfo().username; } catch { return process.env.USER ?? 'unknown'; }
}

/** A positive whole-number id argument. */
export function idArg(text: string | undefined, what: string): number {
  const n = Number(text);
  if (!text || !Number.isInteger(n) || n < 1) throw new UsageError(`${what} must be a number (got "${text ?? ''}")`);
  return n;
}

/**
 * `findings|incidents VERB ID`: a lifecycle action (ack, close, reopen, note) on one finding or incident, or
 * `show`, which `show` prints. Unknown ids and refused changes are usage errors.
 */
export function itemCommand(kind: 'finding' | 'incident', verb: string, id: number, v: { state?: string | undefined; note?: string | undefined; author?: string | undefined }, io: Io, show: (store: RiskStore) => void): number {
  const store = openState(`${kind}s`, v.state);
  try {
    if (verb === 'show') { show(store); return 0; }
    const { from, to } = applyAction(store, kind, id, verb as Action, v.note, author(v.author), Date.now() / 1000);
    io.err(verb === 'note' ? `${kind} ${id}: note added\n` : `${kind} ${id}: ${from} → ${to}\n`);
    return 0;
  } catch (e) {
    if (e instanceof LifecycleError) throw new UsageError(e.message);
    throw e;
  } finally {
    store.close();
  }
}
