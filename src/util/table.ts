// Lookup tables keyed by names that come from outside: a search's commands, functions and units, a detection
// file's technique ids, a log line's duration units. A plain object answers for names it only inherits
// (`constructor`, `toString`, `__proto__`), so an unknown name would find a function; these tables hold
// their own keys only.

/** The entries as a frozen table without a prototype: a name it does not hold finds undefined. */
export function table<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
