import type { SqlClient } from '@gke-emulator/db';

/**
 * The value of the setting `key` when it is a JSON number; null when it is unset or not a number. A function over
 * the caller's client (the pool, or the open unit of work a read must go through) rather than an injected class.
 */
export async function readNumberSetting(sql: SqlClient, key: string): Promise<number | null> {
  const [row] = await sql.query<{ value: number | null }>(
    `SELECT CASE WHEN jsonb_typeof(value) = 'number' THEN (value #>> '{}')::float8 END AS value
       FROM setting WHERE key = $1`,
    [key],
  );
  return typeof row?.value === 'number' ? row.value : null;
}
