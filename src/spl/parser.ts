// Splits a search into commands at top-level pipes and hands each to its command's parser.
import type { Command, Query } from './ast.js';
import { Scanner } from './lexer.js';
import { SplError } from './errors.js';
import { parseSearch } from './commands/search.js';
import { parseWhere } from './commands/where.js';
import { parseEval } from './commands/eval.js';
import { parseBin } from './commands/bin.js';
import { parseStats, parseEventstats } from './commands/stats.js';
import { parseStreamstats } from './commands/streamstats.js';
import { parseTransaction } from './commands/transaction.js';
import { parseRex } from './commands/rex.js';
import { parseRename } from './commands/rename.js';
import { parseTable } from './commands/table.js';
import { parseFields } from './commands/fields.js';
import { parseSort } from './commands/sort.js';
import { parseHead } from './commands/head.js';
import { parseDedup } from './commands/dedup.js';
import { table } from '../util/table.js';

type CommandParser = (s: Scanner, start: number) => Command;

export const COMMANDS: Readonly<Record<string, CommandParser>> = table({
  search: parseSearch,
  where: parseWhere,
  eval: parseEval,
  bin: parseBin,
  bucket: parseBin,
  stats: parseStats,
  eventstats: parseEventstats,
  streamstats: parseStreamstats,
  transaction: parseTransaction,
  rex: parseRex,
  rename: parseRename,
  table: parseTable,
  fields: parseFields,
  sort: parseSort,
  head: parseHead,
  dedup: parseDedup,
});

const MAX_QUERY = 64 * 1024;
const MAX_COMMANDS = 100;

/** Parses an already macro-expanded search. Never returns a partial query: any error throws SplError. */
export function parseQuery(text: string): Query {
  if (text.length > MAX_QUERY) throw new SplError(`search is longer than ${MAX_QUERY} characters`, MAX_QUERY, 'SPL_QUERY_TOO_COMPLEX');
  const segments = Scanner.splitPipes(text);
  if (segments.length > MAX_COMMANDS) throw new SplError(`search has more than ${MAX_COMMANDS} commands`, segments[MAX_COMMANDS]!.start, 'SPL_QUERY_TOO_COMPLEX');
  const commands: Command[] = [];
  segments.forEach((seg, idx) => {
    const s = new Scanner(text, seg.start, seg.end);
    s.skipWs();
    if (s.pos >= seg.end) {
      // An empty first segment is a leading pipe ("| stats …"); anywhere else it is a mistake.
      if (idx === 0 && segments.length > 1) return;
      if (idx === 0) { commands.push({ kind: 'search', expr: null, span: { start: seg.start, end: seg.end } }); return; }
      throw new SplError('expected a command after "|"', seg.start);
    }
    const first = s.peek('word');
    const name = first.kind === 'word' ? first.value.toLowerCase() : '';
    const leadingPipe = idx === 1 && text.slice(segments[0]!.start, segments[0]!.end).trim() === '';
    if (idx === 0) {
      // Without a leading pipe the first command is a search; "search" itself may be written or implied.
      if (name === 'search' && text[first.end] !== '=') s.next('word');
      commands.push(parseSearch(s, first.start));
      return;
    }
    const parser = first.kind === 'word' && text[first.end] !== '=' ? COMMANDS[name] : undefined;
    if (!parser) {
      throw new SplError(`unknown command "${first.value}" (supported: ${Object.keys(COMMANDS).join(', ')})`, first.start, 'SPL_UNKNOWN_COMMAND');
    }
    if (leadingPipe && name !== 'search') {
      throw new SplError(`"${first.value}" cannot start a search: it needs events (start with a search, or with "| search")`, first.start, 'SPL_UNSUPPORTED');
    }
    s.next('word');
    commands.push(parser(s, first.start));
  });
  if (commands.length === 0) throw new SplError('empty search', 0);
  return { text, commands };
}
