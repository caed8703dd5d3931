// Reading YAML with positions, so every complaint about a file names its line and column.
import { readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments, isNode, type Document } from 'yaml';

export class ContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContentError';
  }
}

export interface YamlDoc {
  file: string;
  doc: Document.Parsed;
  data: unknown;
  /** "file:line:col" of the node at `path`, or of the document when the path does not exist. */
  where(path: Array<string | number>): string;
}

export function readYamlFile(file: string): YamlDoc[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ContentError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: YamlDoc[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const p = lc.linePos(err.pos[0]);
      throw new ContentError(`${file}:${p.line}:${p.col}: invalid YAML: ${err.message.split('\n')[0]}`);
    }
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    if (data === null || data === undefined) continue;
    out.push({
      file, doc, data,
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
