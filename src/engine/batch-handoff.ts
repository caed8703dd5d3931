// How one search takes a batch of events from the runner (runner.ts): its gin events through its entries (a
// plain line's, one past its leading search when the dispatch is sure, a bare line's with its batch position
// marked for span-rex.ts), and the batch's other events it can want, in the batch's order. Generated per
// search with its dispatch bits written in, as the stages are (filter.ts): a loop shared by every search
// called each search's entries from one site, which met thirty closures and could inline none of them.
import type { Row } from './value.js';
import type { BareGinColumns } from './span-rex.js';
import { generated } from './generated-code.js';

/** The batch being handed out, as the runner keeps it. */
export interface BatchView {
  batch: Row[];
  /** Per position: 0 not gin, 1 gin, 2 a plain gin line. */
  isGin: Uint8Array;
  /** Per gin position: the searches whose leading search it passes for sure (FieldDispatch.sure). */
  sure: Int32Array;
  /** The events that are not gin, their batch positions, and the searches each can interest (OtherDispatch). */
  notGin: Row[];
  notGinAt: Int32Array;
  otherWants: Int32Array;
  bare: BareGinColumns;
}

/** A search's part of a batch: `list` holds the first `n` positions of the gin events its dispatch bit wants. */
export type Handoff = (v: BatchView, list: Int32Array, n: number) => number;

export interface SearchEntries {
  /** Its entry for gin events in general, for plain gin lines, and past its leading search (sure events). */
  gin: ((event: Row) => void) | undefined;
  plain: ((event: Row) => void) | undefined;
  past: ((event: Row) => void) | undefined;
  plainPast: ((event: Row) => void) | undefined;
  /** Where other events go (the pipeline's head). */
  push: (event: Row) => void;
  /**
   * Takes a plain gin line (by its batch position) without its entries, when it can (Pipeline.columns,
   * stats-columns.ts); a line it does not take goes to them. `ginColumns`: the same for other gin events.
   */
  columns?: ((event: Row, at: number) => boolean) | undefined;
  ginColumns?: ((event: Row, at: number) => boolean) | undefined;
  /** Its FieldDispatch bit (0: every gin event), whether other events can pass it and its OtherDispatch bit (0: all of them). */
  bit: number;
  other: boolean;
  otherBit: number;
}

/** The handoff for one search; it returns how many events it handed over. */
export function handoffFor(e: SearchEntries): Handoff {
  const takes = (o: string) => (e.otherBit === 0 ? 'true' : `(ow[${o}] & ${e.otherBit}) !== 0`);
  let body: string;
  if (e.gin === undefined) {
    body = e.other ? `
      const notGin = v.notGin, ow = v.otherWants;
      let handed = 0;
      for (let o = 0; o < notGin.length; o++) {
        if (!(${takes('o')})) continue;
        push(notGin[o]);
        handed++;
      }
      return handed;` : 'return 0;';
  } else if (e.bit === 0) {
    body = `
      const batch = v.batch, isGin = v.isGin, ow = v.otherWants, bare = v.bare;
      let handed = 0, o = 0;
      for (let i = 0; i < batch.length; i++) {
        const k = isGin[i];
        if (k === 2) { ${e.columns ? 'if (!columns(batch[i], i)) ' : ''}{ bare.at = i; plain(batch[i]); } }
        else if (k === 1) ${e.ginColumns ? '{ if (!columns(batch[i], i)) gin(batch[i]); }' : 'gin(batch[i]);'}
        else {
          ${e.other ? `if (${takes('o')}) { push(batch[i]); handed++; }` : ''}
          o++;
        }
      }
      return handed + batch.length - v.notGin.length;`;
  } else {
    // Its gin events, and the other events in between when it takes them, in the batch's order.
    const one = `{
          const i = list[j];
          if (isGin[i] === 2) { ${e.columns ? 'if (!columns(batch[i], i)) ' : ''}{ bare.at = i; if ((sure[i] & ${e.bit}) !== 0) plainPast(batch[i]); else plain(batch[i]); } }
          else ${e.ginColumns ? 'if (!columns(batch[i], i)) ' : ''}{ if ((sure[i] & ${e.bit}) !== 0) past(batch[i]); else gin(batch[i]); }
        }`;
    body = `
      const batch = v.batch, isGin = v.isGin, sure = v.sure, bare = v.bare;
      let j = 0, handed = 0;
      ${e.other ? `
      const notGin = v.notGin, notGinAt = v.notGinAt, ow = v.otherWants;
      for (let o = 0; o < notGin.length; o++) {
        if (!(${takes('o')})) continue;
        const at = notGinAt[o];
        for (; j < n && list[j] < at; j++) ${one}
        push(notGin[o]);
        handed++;
      }` : ''}
      for (; j < n; j++) ${one}
      return handed + n;`;
  }
  type Entry = ((event: Row) => void) | undefined;
  return generated<(gin: Entry, plain: Entry, past: Entry, plainPast: Entry, push: (event: Row) => void, columns: SearchEntries['columns']) => Handoff>(
    ['gin', 'plain', 'past', 'plainPast', 'push', 'columns'], `return (v, list, n) => {${body}\n    };`,
  )(e.gin, e.plain, e.past, e.plainPast, e.push, e.columns);
}
