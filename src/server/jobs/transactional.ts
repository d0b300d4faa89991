import { sql } from 'drizzle-orm';
import { type Db, type DrizzleTransactionLike, fromDrizzle } from 'pg-boss';
import type { Database } from '../db/client.ts';

/**
 * pg-boss's database interface over a Drizzle transaction (or the plain database): pass it as
 * `{ db: inTransaction(tx) }` to `boss.send` and the job is written atomically with the rows it is
 * about, so a crash can leave neither a row without its job nor a job without its row.
 */
export const inTransaction = (tx: Database): Db =>
  // Our Database type is generic over the driver, so `execute` is typed as returning unknown;
  // both drivers we use (node-postgres, PGlite) answer with `{ rows }`, which is what pg-boss reads.
  fromDrizzle(tx as unknown as DrizzleTransactionLike, sql);
