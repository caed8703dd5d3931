// Functions generated from source text (search filters, stats kernels, rex assignments), made again and again
// with the same text: a scan thread compiles every search afresh for each byte range it reads. A function made
// by `new Function` is new code to V8, run cold in its interpreter until it warms up again; the same factory
// called again makes closures that share its warm code. Within one compile (`reusingCode`), the n-th function
// made from a text is the n-th one the last compile made from it, so two searches that happen to generate the
// same text still get code of their own (code shared between searches meets both searches' values, and V8
// optimises it for neither).

type Factory = (...args: never[]) => unknown;

/** Occurrences of each text in the compile under way; undefined outside reusingCode. */
let session: Map<string, number> | undefined;
const made = new Map<string, Factory[]>();

/** Runs `compile` with generated functions reused from the last such compile (see the top of this file). */
export function reusingCode<T>(compile: () => T): T {
  const outer = session;
  session = new Map();
  try { return compile(); } finally { session = outer; }
}

/** new Function(...params, body), or the same one again inside reusingCode. */
export function generated<F extends Factory>(params: readonly string[], body: string): F {
  if (session === undefined) return new Function(...params, body) as F;
  const key = `${params.join(',')}\n${body}`;
  const n = session.get(key) ?? 0;
  session.set(key, n + 1);
  let list = made.get(key);
  if (list === undefined) made.set(key, (list = []));
  return (list[n] ??= new Function(...params, body) as Factory) as F;
}
