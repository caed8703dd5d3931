// The V8 flags the command sets as it starts (bin/ollama-sentinel.js), before any search is compiled or any
// scan thread is started. V8's flags belong to the process, so the scan threads run with them too.
import v8 from 'node:v8';

export const V8_FLAGS: readonly string[] = [
  // Detections run user-written regular expressions over attacker-written lines: a pattern that backtracks
  // past V8's limit on a line is finished by the linear-time engine instead, so no crafted line stalls a scan.
  '--enable-experimental-regexp-engine-on-excessive-backtracks',
  // V8 "pretenures" the objects of an allocation site when it sees most of them survive a young collection:
  // it then makes them in the old generation. A scan's events live for a batch, and a collection that comes
  // while one is held can mark the site of every event: from then on each event is made old, every string it
  // points to survives the young collections until a full one frees it, and full collections come several
  // times as often. Which scan thread it befalls is chance; it cost a two-thread scan 7-12 % of its time
  // (docs/performance-history.md, the fifteenth round).
  '--no-allocation-site-pretenuring',
];

/** Sets V8_FLAGS. Called once, first thing: a flag set later does not reach objects or code made before it. */
export function setV8Flags(): void {
  for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);
}
