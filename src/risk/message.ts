// Risk messages: $field$ tokens filled from the result row. Multivalue fields are joined with ", "; a token
// for a field the row lacks renders empty (Splunk leaves no placeholder either). `$$` is a literal dollar.
import { valueToString, type Row } from '../engine/value.js';

export function renderMessage(template: string, row: Row): string {
  return template.replace(/\$\$|\$([A-Za-z_][A-Za-z0-9_.:-]*)\$/g, (m, name: string | undefined) => {
    if (name === undefined) return '$';
    return valueToString(row[name], ', ');
  });
}
