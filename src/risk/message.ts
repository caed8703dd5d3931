// Risk messages: $field$ tokens filled from the result row. Multivalue fields are joined with ", "; a token
// for a field the row lacks renders empty (Splunk leaves no placeholder either). `$$` is a literal dollar.
import { valueToString, type Row } from '../engine/value.js';

const TOKEN = /\$\$|\$([A-Za-z_][A-Za-z0-9_.:-]*)\$/g;

/** A template cut at its tokens: `texts[i]` comes before the value of `fields[i]`, the last text after the last. */
interface Template { texts: string[]; fields: string[] }

/**
 * Templates cut once: a scan renders one detection's message for each of its rows (a regular expression's
 * replace with a callback took 1.4 µs a row). They come from detection content, not from logs; past
 * CACHED_TEMPLATES more are cut each time.
 */
const templates = new Map<string, Template>();
const CACHED_TEMPLATES = 1024;

function cut(template: string): Template {
  const texts: string[] = [];
  const fields: string[] = [];
  let text = '';
  let from = 0;
  for (const m of template.matchAll(TOKEN)) {
    text += template.slice(from, m.index);
    from = m.index + m[0].length;
    if (m[1] === undefined) { text += '$'; continue; }
    texts.push(text);
    fields.push(m[1]);
    text = '';
  }
  texts.push(text + template.slice(from));
  return { texts, fields };
}

export function renderMessage(template: string, row: Row): string {
  let t = templates.get(template);
  if (t === undefined) {
    t = cut(template);
    if (templates.size < CACHED_TEMPLATES) templates.set(template, t);
  }
  let out = t.texts[0]!;
  for (let i = 0; i < t.fields.length; i++) out += valueToString(row[t.fields[i]!], ', ') + t.texts[i + 1]!;
  return out;
}
