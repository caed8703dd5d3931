// A search error knows where it happened (an offset into the text the user wrote) and what was expected.

export class SplError extends Error {
  constructor(
    message: string,
    /** Offset into the search text (after macro expansion; see `origin` for the authored text). */
    readonly pos: number,
    readonly code: string = 'SPL_SYNTAX',
  ) {
    super(message);
    this.name = 'SplError';
  }
}

/** Renders "message at line L, column C" and the offending line with a caret under the position. */
export function describeSplError(err: SplError, text: string): string {
  const pos = Math.max(0, Math.min(err.pos, text.length));
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  let lineEnd = text.indexOf('\n', pos);
  if (lineEnd < 0) lineEnd = text.length;
  const col = pos - lineStart + 1;
  let shown = text.slice(lineStart, lineEnd);
  let caretCol = col - 1;
  if (shown.length > 120) {
    const from = Math.max(0, caretCol - 60);
    shown = (from > 0 ? '…' : '') + shown.slice(from, from + 120);
    caretCol = caretCol - from + (from > 0 ? 1 : 0);
  }
  return `${err.message} (line ${line}, column ${col})\n  ${shown}\n  ${' '.repeat(caretCol)}^`;
}

/**
 * Describes an error found at run time (e.g. eval assigning a boolean) against the expanded search. Here, not
 * in compile.ts, so that a scan thread, which runs searches compiled elsewhere, does not load the SPL parser.
 */
export function explainRuntimeError(e: SplError, expanded: string): string {
  return describeSplError(e, expanded);
}
