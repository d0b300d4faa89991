import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { pgliteHandle } from '../src/server/db/client.ts';
import { connectedAccounts, user } from '../src/server/db/schema/index.ts';
import { dueAccountIds, KEEP_ALIVE } from '../src/server/services/keep-alive.ts';

/**
 * The keep-alive sweep when nothing is due, on the embedded database: how long the sweep's query
 * takes over N accounts, against a baseline measured in the same run, a plain count of the same
 * table (which has to read every row).
 */
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const ROUNDS = 20;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function time(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const database = pgliteHandle(await PGlite.create());
await database.migrate();
await database.db.insert(user).values({ id: 'bench', name: 'Bench', email: 'bench@example.com' });
const later = new Date(Date.now() + 24 * 60 * 60_000);
for (let offset = 0; offset < ACCOUNTS; offset += 1000) {
  const batch = Array.from({ length: Math.min(1000, ACCOUNTS - offset) }, (_, i) => ({
    userId: 'bench',
    provider: 'instagram' as const,
    externalId: String(offset + i),
    nextCheckAt: later,
  }));
  await database.db.insert(connectedAccounts).values(batch);
}
await database.db.execute(sql`analyze connected_accounts`);

const sweepMs = await time(() => dueAccountIds(database.db, { now: Date.now(), limit: KEEP_ALIVE.sweepBatch }));
const scanMs = await time(() => database.db.execute(sql`select count(*) from connected_accounts`));
await database.close();

const report = {
  scenario: 'keep-alive sweep, nothing due',
  database: 'PGlite (embedded)',
  accounts: ACCOUNTS,
  rounds: ROUNDS,
  sweepMedianMs: Number(sweepMs.toFixed(2)),
  baselineFullCountMedianMs: Number(scanMs.toFixed(2)),
  ratioToBaseline: Number((sweepMs / scanMs).toFixed(3)),
};
console.log(JSON.stringify(report, null, 2));
console.log('| scenario | accounts | sweep query (median) | baseline: full count (median) | ratio |');
console.log('|---|---|---|---|---|');
console.log(
  `| ${report.scenario} | ${report.accounts} | ${report.sweepMedianMs} ms | ${report.baselineFullCountMedianMs} ms | ${report.ratioToBaseline} |`,
);
