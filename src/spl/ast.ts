// The syntax tree of a search. Every node keeps the offset where it starts so errors can point at it.

export interface Span { start: number; end: number }

// ---- eval / where expressions ----
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '.' | '=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR' | 'XOR' | 'LIKE';

export type Expr =
  | { kind: 'num'; value: number; span: Span }
  | { kind: 'str'; value: string; raw: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'field'; name: string; span: Span }
  | { kind: 'call'; name: string; args: Expr[]; span: Span }
  | { kind: 'unary'; op: '-' | 'NOT'; arg: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'in'; arg: Expr; list: Expr[]; span: Span };

// ---- search-command expressions ----
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type SearchExpr =
  | { kind: 'term'; text: string; quoted: boolean; span: Span }
  | { kind: 'compare'; field: string; op: CompareOp; value: string; span: Span }
  | { kind: 'in'; field: string; values: string[]; span: Span }
  | { kind: 'and'; items: SearchExpr[] }
  | { kind: 'or'; items: SearchExpr[] }
  | { kind: 'not'; item: SearchExpr };

// ---- commands ----
export interface StatsAgg {
  fn: string;
  /** Field argument, or an eval expression for `fn(eval(...))`. */
  field?: string;
  evalArg?: Expr;
  as: string;
  span: Span;
}

/** A transaction boundary: `startswith=eval(expr)`, `startswith=(search)` or `startswith="search"`. */
export type TxnFilter = { kind: 'eval'; expr: Expr } | { kind: 'search'; expr: SearchExpr };

export interface SortKey { field: string; desc: boolean; mode: 'auto' | 'num' | 'str' | 'ip' }

export type Command =
  | { kind: 'search'; expr: SearchExpr | null; span: Span }
  | { kind: 'where'; expr: Expr; span: Span }
  | { kind: 'eval'; assignments: Array<{ field: string; expr: Expr }>; span: Span }
  | { kind: 'bin'; field: string; as: string; spanSeconds?: number; spanValue?: number; spanUnit?: string; bins?: number; span: Span }
  | { kind: 'stats'; aggs: StatsAgg[]; by: string[]; span: Span }
  | { kind: 'rex'; field: string; regex: string; maxMatch: number; mode: 'extract' | 'sed'; span: Span }
  | { kind: 'rename'; pairs: Array<{ from: string; to: string }>; span: Span }
  | { kind: 'table'; fields: string[]; span: Span }
  | { kind: 'fields'; remove: boolean; fields: string[]; span: Span }
  | { kind: 'sort'; limit: number; keys: SortKey[]; span: Span }
  | { kind: 'head'; limit: number; span: Span }
  | { kind: 'eventstats'; aggs: StatsAgg[]; by: string[]; span: Span }
  | { kind: 'streamstats'; aggs: StatsAgg[]; by: string[]; current: boolean; window: number; timeWindow?: number; resetOnChange: boolean; span: Span }
  | { kind: 'transaction'; fields: string[]; maxspan?: number; maxpause?: number; maxevents: number; maxopentxn: number; maxopenevents: number; startswith?: TxnFilter; endswith?: TxnFilter; keepevicted: boolean; span: Span }
  | { kind: 'dedup'; limit: number; fields: string[]; keepEmpty: boolean; consecutive: boolean; sortBy: SortKey[]; span: Span };

export type CommandKind = Command['kind'];

export interface Query {
  text: string;
  commands: Command[];
}
