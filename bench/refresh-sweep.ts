import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { INSTAGRAM_LOGIN_SCOPES } from '../src/providers/instagram-login/provider.ts';
import { DEFAULT_APPS } from '../src/sandbox/core/apps.ts';
import { DAY, HOUR } from '../src/sandbox/core/clock.ts';
import { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { buildSandboxServer } from '../src/sandbox/server.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { accountCredentials, connectedAccounts, user } from '../src/server/db/schema/index.ts';
import { accountCheck } from '../src/server/jobs/account-check.ts';
import { keepAliveSweep } from '../src/server/jobs/keep-alive-sweep.ts';
import { startJobs } from '../src/server/jobs/runner.ts';
import { createLogger } from '../src/server/logger.ts';
import { createConnectDeps } from '../src/server/services/connect-deps.ts';
import { Secret } from '../src/server/vault/secret.ts';
import { contextOf } from '../src/server/vault/vault.ts';
import { freePort } from '../test/helpers/server-process.ts';
import { startTether, stopTether, type TetherChild, tetherEnvironment } from './support.ts';

/**
 * The keep-alive sweep and token refresh at scale, on PostgreSQL: N Instagram Login accounts, a
 * share of them due with tokens old enough to refresh.
 *
 * 1. Sweep: the `keep-alive-sweep` job's handler, run in this process, scans the table and queues
 *    one `account-check` per due account. Baseline in the same run: what the database has to do at
 *    least for the same outcome, one plain query for the due ids plus pg-boss inserting as many
 *    trivial jobs into a queue with no policy (no singleton keys), in the same batches.
 * 2. Refresh: two Tether processes (`ROLE=all` and `ROLE=worker`) work the queued checks against
 *    the provider sandbox (in this process, on its own port), which allows `--rate` refreshes a
 *    second for the app and refuses the rest as Meta does (code 4, `X-App-Usage`). Throughput is
 *    successful refreshes a second over that first pass, first to last, against the allowed rate.
 *    A refused refresh waits for the account's next check (15 minutes or more); the benchmark
 *    fast-forwards to it, sweeping again until every due account is refreshed, and counts them.
 *
 * Needs DATABASE_URL; creates the database `tether_bench_<time>` there and drops it at the end.
 *
 *   npm run bench -- refresh-sweep [--quick] [--accounts N] [--due-share F] [--rate R] [--rounds K]
 *     [--throttle-percent P]   (META_THROTTLE_PERCENT of the Tether processes; Tether's default 80 when left out)
 */
const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== 'refresh-sweep'),
  options: {
    quick: { type: 'boolean', default: false },
    accounts: { type: 'string' },
    'due-share': { type: 'string' },
    rate: { type: 'string' },
    rounds: { type: 'string' },
    'throttle-percent': { type: 'string' },
    'keep-logs': { type: 'boolean', default: false },
  },
});
const ACCOUNTS = Number(args.accounts ?? (args.quick ? 4_000 : 100_000));
const DUE = Math.round(ACCOUNTS * Number(args['due-share'] ?? 0.05));
/** Refreshes per second the sandbox allows the app. */
const RATE = Number(args.rate ?? 25);
const ROUNDS = Number(args.rounds ?? 3);
/** The refresh phase gives up this long after the time the allowed rate needs, plus start-up. */
const BOUND_MS = ((3 * DUE) / RATE + 60) * 1000;
const SEED_BATCH = 1000;
/** Sweeps of deferred accounts after the first, at most. */
const MAX_PASSES = 20;
const _ROOT = path.resolve(import.meta.dirname, '..');
const REFRESH_ENDPOINT = 'ig.graph.refresh_access_token';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('refresh-sweep needs DATABASE_URL: a PostgreSQL server on which it may create a database');
  process.exit(1);
}

const log = (message: string) => console.error(`[refresh-sweep ${new Date().toISOString()}] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

const dbName = `tether_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const databaseUrl = Object.assign(new URL(baseUrl), { pathname: `/${dbName}` }).toString();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-bench-refresh-'));
const children: TetherChild[] = [];
let failed = false;

// The platform, with the refresh limit set; every refresh answer is timed here.
const sandboxPort = await freePort();
const webPort = await freePort();
const sandbox = new Sandbox(`http://127.0.0.1:${sandboxPort}`);
sandbox.usage.limits.refreshCallsPerSecond = RATE;
const sandboxServer = await buildSandboxServer({ sandbox });
const refreshed: number[] = [];
let refused = 0;
let otherCalls = 0;
sandboxServer.addHook('onResponse', async (request, reply) => {
  if (request.routeOptions.config?.endpoint !== REFRESH_ENDPOINT) otherCalls++;
  else if (reply.statusCode === 200) refreshed.push(performance.now());
  else refused++;
});
await sandboxServer.listen({ port: sandboxPort, host: '127.0.0.1' });
const instagramApp = DEFAULT_APPS.find((app) => app.platform === 'instagram');
if (!instagramApp) throw new Error('no sandbox Instagram app');

const tetherEnv = tetherEnvironment({
  webPort,
  dataDir: path.join(workDir, 'data'),
  databaseUrl,
  sandbox,
  instagramApp,
  extra: args['throttle-percent'] ? { META_THROTTLE_PERCENT: args['throttle-percent'] } : {},
});
const { config } = loadConfig({ ...tetherEnv, ROLE: 'web' });
const logger = createLogger('warn');
const database = await openDatabase({ databaseUrl, dataDir: tetherEnv.DATA_DIR ?? workDir, poolSize: 8 });
await database.migrate();
const connections = createConnectDeps({ config, db: database.db, log: logger });
const reader = new pg.Client({ connectionString: databaseUrl });
await reader.connect();

try {
  // Setup, not measured: accounts and their tokens in multi-row inserts, every token encrypted with
  // the vault's keyring and context (a ciphertext is bound to its account, so none can be shared). Every 1/share-th account is
  // due, with a token the sandbox issued that ends within the refresh margin; the others are
  // checked at spread times within the next day and hold tokens the platform never sees.
  const seedStarted = performance.now();
  const userId = 'bench-user';
  await database.db.insert(user).values({ id: userId, name: 'Bench', email: 'bench@example.com' });
  const now = Date.now();
  const step = ACCOUNTS / Math.max(DUE, 1);
  const isDue = (index: number) => DUE > 0 && index % step < 1;
  for (let offset = 0; offset < ACCOUNTS; offset += SEED_BATCH) {
    const rows = Array.from({ length: Math.min(SEED_BATCH, ACCOUNTS - offset) }, (_, i) => {
      const index = offset + i;
      const externalId = `178414${String(10_000_000_000 + index)}`;
      if (!isDue(index))
        return {
          row: {
            userId,
            provider: 'instagram_login' as const,
            externalId,
            username: `sweep.account.${index}`,
            status: 'active' as const,
            grantedScopes: [...INSTAGRAM_LOGIN_SCOPES],
            tokenExpiresAt: new Date(now + 50 * DAY),
            tokenObtainedAt: new Date(now - 10 * DAY),
            nextCheckAt: new Date(now + HOUR + ((index * 7919) % DAY)),
          },
          token: `IGAA${randomBytes(48).toString('base64url')}`,
        };
      const token = sandbox.tokens.issue({
        kind: 'instagram_user',
        appId: instagramApp.id,
        subjectId: externalId,
        scopes: [...INSTAGRAM_LOGIN_SCOPES],
        expiresInMs: 7 * DAY,
        longLived: true,
      });
      return {
        row: {
          userId,
          provider: 'instagram_login' as const,
          externalId,
          username: `sweep.account.${index}`,
          status: 'active' as const,
          grantedScopes: [...INSTAGRAM_LOGIN_SCOPES],
          tokenExpiresAt: new Date(token.expiresAt ?? now),
          tokenObtainedAt: new Date(now - 2 * DAY),
          nextCheckAt: new Date(now - 60_000),
        },
        token: token.token,
      };
    });
    const ids = await database.db
      .insert(connectedAccounts)
      .values(rows.map(({ row }) => row))
      .returning({ id: connectedAccounts.id });
    await database.db.insert(accountCredentials).values(
      ids.map(({ id }, i) => ({
        accountId: id,
        kind: 'user_access' as const,
        ciphertext: connections.keyring.encrypt(new Secret(rows[i]?.token ?? ''), contextOf(id, 'user_access')),
        keyId: connections.vault.currentKeyId,
      })),
    );
  }
  // The due tokens are two days old on the platform's clock too (a refresh needs 24 hours).
  sandbox.clock.advance(2 * DAY);
  await reader.query('analyze');
  const seedMs = performance.now() - seedStarted;
  log(`seeded ${ACCOUNTS} accounts (${DUE} due) in ${(seedMs / 1000).toFixed(1)} s`);

  // 1. The sweep, against its baseline, ROUNDS times each; the queued checks are removed between
  // rounds so every round starts from the same state (the last round's stay for the refresh phase).
  const boss = await startJobs({ database, role: 'web', logger, connections });
  const trivialQueue = 'bench-trivial';
  await boss.createQueue(trivialQueue);
  const countQueued = async (name: string) => {
    const result = await reader.query<{ count: number }>(
      `select count(*)::int as count from pgboss.job where name = $1 and state = 'created'`,
      [name],
    );
    return result.rows[0]?.count ?? 0;
  };
  const sweepSamples: number[] = [];
  const baselineSamples: number[] = [];
  const baselineScanSamples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await boss.deleteAllJobs(accountCheck.name);
    let started = performance.now();
    await keepAliveSweep.handle({}, { db: database.db, log: logger, boss, connections });
    sweepSamples.push(performance.now() - started);
    const queued = await countQueued(accountCheck.name);
    if (queued !== DUE) throw new Error(`the sweep queued ${queued} checks, expected ${DUE}`);

    await boss.deleteAllJobs(trivialQueue);
    started = performance.now();
    const due = await reader.query<{ id: string }>(
      'select id from connected_accounts where next_check_at <= now() order by id',
    );
    baselineScanSamples.push(performance.now() - started);
    for (let offset = 0; offset < due.rows.length; offset += 500)
      await boss.insert(
        trivialQueue,
        due.rows.slice(offset, offset + 500).map(() => ({ data: {} })),
      );
    baselineSamples.push(performance.now() - started);
    if ((await countQueued(trivialQueue)) !== DUE) throw new Error('baseline did not queue every job');
  }
  await boss.deleteAllJobs(trivialQueue);
  const sweepMs = median(sweepSamples);
  const baselineMs = median(baselineSamples);
  log(`sweep ${sweepMs.toFixed(0)} ms, baseline ${baselineMs.toFixed(0)} ms (medians of ${ROUNDS})`);

  // 2. The refresh: the checks the last sweep queued, worked by two Tether processes.
  log(`starting Tether (ROLE=all, ROLE=worker); sandbox allows ${RATE} refreshes/s`);
  children.push(
    ...(await Promise.all([
      startTether(workDir, tetherEnv, 'tether-all', 'all'),
      startTether(workDir, tetherEnv, 'tether-worker', 'worker'),
    ])),
  );
  const countDone = async () => {
    const result = await reader.query<{ refreshed: number; needs_reconnect: number; failing: number }>(
      `select count(*) filter (where refresh_count > 0)::int as refreshed,
                 count(*) filter (where status = 'needs_reconnect')::int as needs_reconnect,
                 count(*) filter (where failing_since is not null)::int as failing
            from connected_accounts`,
    );
    return result.rows[0] ?? { refreshed: 0, needs_reconnect: 0, failing: 0 };
  };
  const pendingChecks = async () =>
    (
      await reader.query<{ count: number }>(
        `select count(*)::int as count from pgboss.job where name = $1 and state in ('created', 'retry', 'active')`,
        [accountCheck.name],
      )
    ).rows[0]?.count ?? 0;
  /** Waits until the queued checks have run: every due account refreshed, given up on, or deferred by a refusal. */
  const settle = async () => {
    const started = performance.now();
    let done = await countDone();
    while (
      (done.refreshed + done.needs_reconnect + done.failing < DUE || (await pendingChecks()) > 0) &&
      performance.now() - started < BOUND_MS
    ) {
      await sleep(500);
      done = await countDone();
    }
    return done;
  };
  let done = await settle();
  const firstPass = { ...done, successes: refreshed.length, refused };
  log(`first pass: refreshed=${done.refreshed} deferred=${done.failing} needs_reconnect=${done.needs_reconnect}`);
  // A refused refresh is deferred to the account's next check (at least 15 minutes, as for any rate
  // limit). Fast-forward to it: make the deferred accounts due and sweep again, until none is left.
  let passes = 1;
  while (done.failing > 0 && done.needs_reconnect === 0 && passes < MAX_PASSES) {
    await reader.query('update connected_accounts set next_check_at = now() where failing_since is not null');
    await keepAliveSweep.handle({}, { db: database.db, log: logger, boss, connections });
    done = await settle();
    passes++;
  }
  log(
    `after ${passes} passes: refreshed=${done.refreshed} deferred=${done.failing} needs_reconnect=${done.needs_reconnect}`,
  );
  await sleep(1000);
  done = await countDone();

  // Throughput over the first pass, the one the sweep queued: first to last successful refresh.
  const firstPassTimes = refreshed.slice(0, firstPass.successes);
  const spanS = ((firstPassTimes.at(-1) ?? 0) - (firstPassTimes[0] ?? 0)) / 1000;
  const throughput = firstPassTimes.length > 1 ? (firstPassTimes.length - 1) / spanS : 0;
  // The busiest second, to show the limit held (at most RATE in any second).
  let busiest = 0;
  for (let i = 0, j = 0; j < refreshed.length; j++) {
    while ((refreshed[j] ?? 0) - (refreshed[i] ?? 0) >= 1000) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  const jobs = await reader.query<{ state: string; count: number }>(
    'select state, count(*)::int as count from pgboss.job where name = $1 group by state',
    [accountCheck.name],
  );
  await boss.stop({ graceful: false, close: true });

  const report = {
    scenario: 'refresh sweep at scale',
    database: 'PostgreSQL',
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    accounts: ACCOUNTS,
    due: DUE,
    metaThrottlePercent: config.metaThrottlePercent,
    seedSeconds: round(seedMs / 1000),
    sweep: {
      rounds: ROUNDS,
      medianMs: round(sweepMs),
      samplesMs: sweepSamples.map((ms) => round(ms)),
      queued: DUE,
      baselineMedianMs: round(baselineMs),
      baselineScanMedianMs: round(median(baselineScanSamples)),
      baselineSamplesMs: baselineSamples.map((ms) => round(ms)),
      ratioToBaseline: round(sweepMs / baselineMs, 2),
    },
    refresh: {
      allowedPerSecond: RATE,
      firstPass: {
        refreshed: firstPass.successes,
        refusedByLimit: firstPass.refused,
        deferred: firstPass.failing,
      },
      passes,
      refreshed: refreshed.length,
      refusedByLimit: refused,
      otherPlatformCalls: otherCalls,
      firstToLastSeconds: round(spanS),
      throughputPerSecond: round(throughput, 2),
      ratioToAllowed: round(throughput / RATE, 3),
      busiestSecond: busiest,
      accountsRefreshed: done.refreshed,
      accountsNeedsReconnect: done.needs_reconnect,
      accountsFailing: done.failing,
      checkJobs: Object.fromEntries(jobs.rows.map((row) => [row.state, row.count])),
    },
  };
  console.log(JSON.stringify(report, null, 2));
  console.log(
    '| accounts | due | sweep (scan + enqueue) | baseline (query + trivial jobs) | ratio | allowed refreshes/s | throttle at | first pass: refreshed / refused | throughput | ratio to allowed | refreshed in the end (passes) | needs reconnect |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| ${ACCOUNTS} | ${DUE} | ${report.sweep.medianMs} ms | ${report.sweep.baselineMedianMs} ms | ${report.sweep.ratioToBaseline} | ${RATE} | ${config.metaThrottlePercent} % | ${firstPass.successes} / ${firstPass.refused} | ${report.refresh.throughputPerSecond}/s | ${report.refresh.ratioToAllowed} | ${done.refreshed} / ${DUE} (${passes}) | ${done.needs_reconnect} |`,
  );
  if (done.refreshed !== DUE || done.needs_reconnect > 0) {
    log('not every due account was refreshed');
    failed = true;
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await stopTether(children);
  await reader.end();
  await database.close();
  await sandboxServer.close();
  await admin.query(`drop database if exists ${dbName} with (force)`).catch((error) => console.error(error));
  await admin.end();
  if (failed || args['keep-logs']) log(`Tether logs kept in ${workDir}`);
  else fs.rmSync(workDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
