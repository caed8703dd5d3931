// Reading YAML with positions, so every complaint about a file names its line and column.
//
// Parsing the built-in detections and macros with positions took 150–180 ms of every command's start. The
// build keeps what each of those files gives, by the SHA-256 of its text (`dist/content-cache.json`, made by
// scripts/content-cache.ts): a file whose text has that hash gives that data, and is parsed only when a
// position is asked for (a complaint). Any other file, or an edited one, is parsed as before.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Document, LineCounter as LineCounterType } from 'yaml';

export class ContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContentError';
  }
}

export interface YamlDoc {
  file: string;
  data: unknown;
  /** "file:line:col" of the node at `path`, or of the document when the path does not exist. */
  where(path: Array<string | number>): string;
}

/** Parsed files by the SHA-256 (hex) of their text: the data of each non-empty document, in order. */
export type ContentCache = ReadonlyMap<string, unknown[]>;

const CACHE_URL = new URL('../../content-cache.json', import.meta.url);
let builtCache: ContentCache | undefined;

/** The cache the build made; empty when there is none (or it cannot be read: then every file is parsed). */
export function builtContentCache(): ContentCache {
  if (builtCache) return builtCache;
  try {
    const raw = JSON.parse(readFileSync(CACHE_URL, 'utf8')) as { files?: Record<string, unknown[]> };
    builtCache = new Map(Object.entries(raw.files ?? {}).filter(([, v]) => Array.isArray(v)));
  } catch {
    builtCache = new Map();
  }
  return builtCache;
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// The YAML library is loaded only when a file has to be parsed.
type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
const yaml = (): YamlModule => (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);

export function readYamlFile(file: string, cache: ContentCache = builtContentCache()): YamlDoc[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ContentError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const known = cache.size > 0 ? cache.get(textHash(text)) : undefined;
  if (!known) return parseYamlText(file, text);
  // Positions come from the parsed documents, made the first time one is asked for.
  let parsed: YamlDoc[] | undefined;
  return known.map((data, i) => ({
    file, data,
    where(path) { return (parsed ??= parseYamlText(file, text))[i]!.where(path); },
  }));
}

/** The non-empty documents of `text`, with positions; a ContentError at the first syntax error. */
export function parseYamlText(file: string, text: string): YamlDoc[] {
  const { LineCounter, parseAllDocuments, isNode } = yaml();
  const lc: LineCounterType = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: YamlDoc[] = [];
  for (const doc of list as Document.Parsed[]) {
    const err = doc.errors[0];
    if (err) {
      const p = lc.linePos(err.pos[0]);
      throw new ContentError(`${file}:${p.line}:${p.col}: invalid YAML: ${err.message.split('\n')[0]}`);
    }
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    if (data === null || data === undefined) continue;
    out.push({
      file, data,
      where(path) {
        let node: unknown = doc.getIn(path, true);
        while (!isNode(node) && path.length > 0) {
          path = path.slice(0, -1);
          node = path.length ? doc.getIn(path, true) : doc.contents;
        }
        const range = isNode(node) ? node.range : doc.contents?.range;
        const p = lc.linePos(range ? range[0] : 0);
        return `${file}:${p.line}:${p.col}`;
      },
    });
  }
  return out;
}
