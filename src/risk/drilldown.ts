// A detection's drilldown searches made runnable for one finding: `%original_detection_search%` becomes the
// detection's search, `$field$` tokens take the finding's values, `$info_min_time$`/`$info_max_time$` its search
// window. Values come from logs, so from an attacker: a token inside double quotes is escaped (`\` and `"`),
// one outside quotes becomes a quoted string, so no value can end the string or add a pipe. A multivalue
// field in `field="$field$"` becomes `field IN ("a", "b")`; elsewhere its values are joined with spaces.
import type { Detection, Drilldown } from '../detections/types.js';
import { scalarToString, valuesOf, type Row } from '../engine/value.js';
import { renderMessage } from './message.js';

export interface ResolvedDrilldown {
  name: string;
  search: string;
  /** Epoch seconds; undefined when the drilldown sets no bound. */
  earliest?: number;
  latest?: number;
}

export class DrilldownError extends Error {}

const quote = (v: string) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** Fills `$field$` tokens in `template` from `row`; `$$` is a literal dollar. */
export function fillTokens(template: string, row: Row): string {
  let out = '';
  let inQuotes = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && inQuotes) { out += c + (template[i + 1] ?? ''); i++; continue; }
    if (c === '"') { inQuotes = !inQuotes; out += c; continue; }
    if (c !== '$') { out += c; continue; }
    if (template[i + 1] === '$') { out += '$'; i++; continue; }
    const m = /^\$([A-Za-z_][A-Za-z0-9_.:-]*)\$/.exec(template.slice(i));
    if (!m) { out += c; continue; }
    const values = valuesOf(row[m[1]!]).map(scalarToString);
    i += m[0].length - 1;
    if (inQuotes) {
      // `field="$tok$"` with several values: rewrite the whole comparison as IN (…).
      const whole = /([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*"$/.exec(out);
      if (values.length > 1 && whole && template[i + 1] === '"') {
        out = out.slice(0, out.length - whole[0].length) + `${whole[1]} IN (${values.map(quote).join(', ')})`;
        i++;
        inQuotes = false;
        continue;
      }
      out += values.join(' ').replace(/[\\"]/g, (ch) => `\\${ch}`);
    } else {
      out += values.length > 1 ? `(${values.map(quote).join(' OR ')})` : quote(values[0] ?? '');
    }
  }
  return out;
}

function bound(spec: string | undefined, window: [number, number] | undefined): number | undefined {
  if (spec === undefined || spec === '') return undefined;
  if (spec === '$info_min_time$') return window?.[0];
  if (spec === '$info_max_time$') return window?.[1];
  if (/^\d+(\.\d+)?$/.test(spec)) return Number(spec);
  throw new DrilldownError(`unsupported drilldown time "${spec}" (expected $info_min_time$, $info_max_time$ or epoch seconds)`);
}

export function resolveDrilldown(d: Detection, dd: Drilldown, row: Row, window: [number, number] | undefined): ResolvedDrilldown {
  const search = dd.search.split('%original_detection_search%').map((part) => fillTokens(part, row)).join(d.search);
  const out: ResolvedDrilldown = { name: renderMessage(dd.name, row), search };
  const e = bound(dd.earliest_offset, window);
  const l = bound(dd.latest_offset, window);
  if (e !== undefined) out.earliest = e;
  if (l !== undefined) out.latest = l;
  return out;
}
