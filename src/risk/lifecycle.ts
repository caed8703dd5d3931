// The lifecycle of findings and incidents: new → acknowledged → closed, reopened to new. Every change, and
// every note, is kept with who and when. New evidence reopens a closed one (alert-book.ts, incidents.ts).
import type { RiskStore, Status } from './store.js';

export type Action = 'ack' | 'close' | 'reopen' | 'note';
export const ACTIONS: Action[] = ['ack', 'close', 'reopen', 'note'];

export class LifecycleError extends Error {}

const TARGET: Record<Exclude<Action, 'note'>, Status> = { ack: 'acknowledged', close: 'closed', reopen: 'new' };

export function applyAction(store: RiskStore, kind: 'finding' | 'incident', id: number, action: Action, note: string | undefined, author: string, now: number): { from: string; to: string } {
  const table = kind === 'finding' ? 'findings' : 'incidents';
  const cur = store.db.prepare(`SELECT status FROM ${table} WHERE id = ?`).get(id) as { status: string } | undefined;
  if (!cur) throw new LifecycleError(`no ${kind} ${id}`);
  if (action === 'note') {
    if (!note || !note.trim()) throw new LifecycleError('note needs --note TEXT');
    store.addNote(kind, id, cur.status, note, author, now);
    return { from: cur.status, to: cur.status };
  }
  const to = TARGET[action];
  if (cur.status === to) throw new LifecycleError(`${kind} ${id} is already ${to}`);
  if (action === 'reopen' && cur.status === 'new') throw new LifecycleError(`${kind} ${id} is open (new)`);
  store.db.transaction(() => {
    store.db.prepare(`UPDATE ${table} SET status = ? WHERE id = ?`).run(to, id);
    store.addNote(kind, id, to, note ?? '', author, now);
  })();
  return { from: cur.status, to };
}
