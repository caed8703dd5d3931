// Seed detection 1 (Possible API Endpoint Scan Reconnaissance) as the best DuckDB SQL we could write: read the
// log as one text column in parallel, keep gin lines, cut the fields by position, bin to 5 minutes, count per
// (bin, src) and keep counts above 120. Prints the rows and its own time as JSON.
import { DuckDBInstance } from '@duckdb/node-api';

export const SEED1_SQL = (file: string) => `
WITH gin AS (
  SELECT line FROM read_csv('${file.replace(/'/g, "''")}', columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '',
                            escape = '', auto_detect = false, strict_mode = false, parallel = true)
  WHERE starts_with(line, '[GIN] ')
), parsed AS (
  SELECT (epoch(strptime(substr(line, 7, 21), '%Y/%m/%d - %H:%M:%S'))::BIGINT // 300) * 300 AS t,
         trim(split_part(line, '|', 4)) AS src,
         trim(split_part(line, '|', 2)) AS status,
         trim(split_part(split_part(line, '|', 5), '"', 1)) AS method
  FROM gin
)
SELECT t, src, count(*) AS total_requests, list(DISTINCT method ORDER BY method) AS methods,
       list(DISTINCT status ORDER BY status) AS statuses
FROM parsed GROUP BY t, src HAVING count(*) > 120 ORDER BY t, src`;

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: duckdb-seed1 FILE');
  const t0 = performance.now();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const r = await c.runAndReadAll(SEED1_SQL(file));
  const rows = r.getRowObjectsJson().map((x) => ({ t: Number(x.t), src: String(x.src), total_requests: Number(x.total_requests), methods: x.methods as string[], statuses: x.statuses as string[] }));
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0, rows }) + '\n');
}

await main();
