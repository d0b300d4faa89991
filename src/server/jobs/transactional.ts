import { type SQL, sql } from 'drizzle-orm';
import type { IDatabase } from 'pg-boss';
import type { Database } from '../db/client.ts';

/**
 * pg-boss's database interface over a Drizzle transaction (or the plain database): pass it as
 * `{ db: inTransaction(tx) }` to `boss.send` and the job is written atomically with the rows it is
 * about, so a crash can leave neither a row without its job nor a job without its row.
 */
export function inTransaction(tx: Database): IDatabase {
  return {
    async executeSql(text, values = []) {
      const result = await tx.execute(withParams(text, values));
      return { rows: result.rows };
    },
  };
}

/** Rebuilds a `$1, $2, …` statement as Drizzle SQL with bound parameters. */
function withParams(text: string, values: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const query = sql.empty();
  parts.forEach((part, index) => {
    if (index % 2 === 0) query.append(sql.raw(part));
    else query.append(sql`${values[Number(part) - 1]}`);
  });
  return query;
}
