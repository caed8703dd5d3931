// One entry point from search text to a logical plan: expand macros, parse, build the plan.
// Errors come back as SplError with the position in the authored text and, inside a macro, its name.
import { expandMacros, type MacroTable } from './macros.js';
import { parseQuery } from './parser.js';
import { SplError, describeSplError } from './errors.js';
import { buildPlan, type LogicalPlan, type PlanOptions } from '../plan/plan.js';

export interface CompiledSearch {
  plan: LogicalPlan;
  /** The search after macro expansion. */
  expanded: string;
}

export class SearchCompileError extends Error {
  constructor(readonly detail: string, readonly splError: SplError) {
    super(detail);
    this.name = 'SearchCompileError';
  }
}

export function compileSearchText(search: string, macros: MacroTable, opts: PlanOptions): CompiledSearch {
  let expanded = search;
  let expansion: ReturnType<typeof expandMacros> | undefined;
  try {
    expansion = expandMacros(search, macros);
    expanded = expansion.text;
    const query = parseQuery(expanded);
    return { plan: buildPlan(query, opts), expanded };
  } catch (e) {
    if (!(e instanceof SplError)) throw e;
    throw new SearchCompileError(explain(e, search, expanded, expansion), e);
  }
}

function explain(e: SplError, authored: string, expanded: string, expansion: ReturnType<typeof expandMacros> | undefined): string {
  if (!expansion) return describeSplError(e, authored);
  const macro = expansion.macroAt(e.pos);
  if (macro) {
    return `${describeSplError(e, expanded)}\n  (inside the expansion of macro \`${macro}\`, called at column ${expansion.toAuthored(e.pos) + 1} of the search)`;
  }
  return describeSplError(new SplError(e.message, expansion.toAuthored(e.pos), e.code), authored);
}
