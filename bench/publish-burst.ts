import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { connectedAccounts, postTargets } from '../src/server/db/schema/index.ts';
import { startJobs } from '../src/server/jobs/runner.ts';
import { createLogger } from '../src/server/logger.ts';
import { createConnectDeps } from '../src/server/services/connect-deps.ts';
import { PUBLISH_QUEUE } from '../src/server/services/posts.ts';
import { freePort } from '../test/helpers/server-process.ts';
import {
  createBenchUser,
  createBurst,
  platformDuplicates,
  seedInstagramAccounts,
  sleep,
  startPlatform,
  startTether,
  stopTether,
  storeBenchJpeg,
  type TetherChild,
  tetherEnvironment,
} from './support.ts';

/**
 * Publish burst: N Instagram accounts with M posts each, all scheduled for the same instant, run
 * by two Tether processes on one PostgreSQL database: `ROLE=all` (serves the media files the
 * platform fetches, and works jobs) and `ROLE=worker`. The provider sandbox runs in this process
 * on its own port and the Tether processes talk to it as they would to Instagram (Instagram
 * Login provider, its URLs pointed at the sandbox). Measures lateness (publishedAt − scheduledAt),
 * duplicates on the platform, targets lost past a bound, and throughput.
 *
 * Needs DATABASE_URL (a PostgreSQL server; the embedded database cannot be shared by processes).
 * A fresh database `tether_bench_<time>` is created on that server and dropped at the end.
 *
 *   npm run bench -- publish-burst [--quick] [--accounts N] [--posts M] [--lead S] [--bound S]
 */
const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== 'publish-burst'),
  options: {
    quick: { type: 'boolean', default: false },
    accounts: { type: 'string' },
    posts: { type: 'string' },
    lead: { type: 'string' },
    bound: { type: 'string' },
    'keep-logs': { type: 'boolean', default: false },
  },
});
const ACCOUNTS = Number(args.accounts ?? (args.quick ? 10 : 100));
const POSTS_PER_ACCOUNT = Number(args.posts ?? 10);
/** Seconds from the start of post creation to the shared scheduled instant. */
const LEAD_S = Number(args.lead ?? (args.quick ? 10 : 45));
/** A target not published this long after the scheduled instant counts as lost. */
const BOUND_S = Number(args.bound ?? 180);

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('publish-burst needs DATABASE_URL: a PostgreSQL server on which it may create a database');
  process.exit(1);
}

const log = (message: string) => console.error(`[publish-burst ${new Date().toISOString()}] ${message}`);
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

// A database of its own, so the run starts empty and leaves nothing behind.
const dbName = `tether_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const databaseUrl = Object.assign(new URL(baseUrl), { pathname: `/${dbName}` }).toString();

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-bench-burst-'));
const dataDir = path.join(workDir, 'data');
const children: TetherChild[] = [];
let failed = false;

// The platform: the sandbox, standalone on its own port.
const platform = await startPlatform();
const { sandbox } = platform;
const sandboxPort = platform.port;
const webPort = await freePort();
const tetherEnv = tetherEnvironment({
  webPort,
  dataDir,
  databaseUrl,
  sandbox,
  instagramApp: platform.instagramApp,
});
const { config } = loadConfig({ ...tetherEnv, ROLE: 'web' });
const logger = createLogger('warn');
const database = await openDatabase({ databaseUrl, dataDir, poolSize: 8 });
await database.migrate();
const connections = createConnectDeps({ config, db: database.db, log: logger });

try {
  // Setup, not measured: one user and N connected accounts written straight into the database,
  // with the tokens the sandbox issued encrypted through the vault, as a connect flow would leave
  // them (Instagram Login; token valid 60 days, so no refresh is due and no check is near).
  const userId = await createBenchUser(database.db);
  const accounts = await seedInstagramAccounts(connections, platform, {
    userId,
    count: ACCOUNTS,
    // Instagram's default is 50 posts per 24 h; the burst stays well inside it.
    quotaTotal: Math.max(50, POSTS_PER_ACCOUNT * 2),
  });
  const accountIds = accounts.map((account) => account.id);
  // One JPEG in the library, through the media service (the storage the web process serves from).
  const mediaId = await storeBenchJpeg({ db: database.db, config, logger, userId });

  log(`starting Tether (ROLE=all on :${webPort}, ROLE=worker) against ${dbName}; sandbox on :${sandboxPort}`);
  children.push(
    ...(await Promise.all([
      startTether(workDir, tetherEnv, 'tether-all', 'all'),
      startTether(workDir, tetherEnv, 'tether-worker', 'worker'),
    ])),
  );

  // The posts, through createPost, from this process (a web role: it enqueues, never works).
  const boss = await startJobs({ database, role: 'web', logger, connections });
  const createStarted = Date.now();
  const scheduledAt = new Date(Math.ceil((createStarted + LEAD_S * 1000) / 1000) * 1000);
  const total = await createBurst(connections, boss, {
    userId,
    accountIds,
    postsPerAccount: POSTS_PER_ACCOUNT,
    mediaId,
    scheduledAt,
  });
  const createMs = Date.now() - createStarted;
  log(`created ${total} posts in ${createMs} ms; all scheduled for ${scheduledAt.toISOString()}`);
  if (Date.now() > scheduledAt.getTime()) log('WARNING: creating the posts took longer than the lead time');

  // Wait until every target is settled or the bound has passed.
  const boundAt = scheduledAt.getTime() + BOUND_S * 1000;
  let lastLine = '';
  for (;;) {
    const rows = await database.db.select({ status: postTargets.status }).from(postTargets);
    const counts: Record<string, number> = {};
    for (const { status } of rows) counts[status] = (counts[status] ?? 0) + 1;
    const line = Object.entries(counts)
      .map(([status, count]) => `${status}=${count}`)
      .join(' ');
    if (line !== lastLine) log(line);
    lastLine = line;
    const settled = (counts.published ?? 0) + (counts.failed ?? 0) + (counts.canceled ?? 0);
    if (settled === total || Date.now() > boundAt) break;
    await sleep(1000);
  }
  // Anything still running after the last target settled (a second publish) would show up now.
  await sleep(3000);

  const targets = await database.db.select().from(postTargets);
  const ownAccounts = await database.db
    .select({ id: connectedAccounts.id, externalId: connectedAccounts.externalId })
    .from(connectedAccounts)
    .where(eq(connectedAccounts.userId, userId));
  const externalOf = new Map(ownAccounts.map((row) => [row.id, row.externalId]));

  const lateness = targets
    .filter((target) => target.status === 'published' && target.publishedAt)
    .map((target) => target.publishedAt!.getTime() - scheduledAt.getTime())
    .sort((a, b) => a - b);
  const publishedInBound = lateness.filter((ms) => ms <= BOUND_S * 1000).length;
  const containers = [...sandbox.instagram.containers.values()];
  const { media, duplicatesPerContainer, mediaFromUnknownContainers, mediaBeyondPostsPerAccount } = platformDuplicates(
    sandbox,
    targets,
    externalOf,
  );
  const lastMs = lateness.at(-1) ?? null;
  // Over every target: one not published within the bound is later than any figure (null below).
  const overAll = [...lateness.filter((ms) => ms <= BOUND_S * 1000), ...Array(total - publishedInBound).fill(Infinity)];
  const finite = (value: number | null) => (value === null || value === Infinity ? null : value);
  // How long one publish job ran (pg-boss started_on → completed_on), to set against the pace.
  const reader = new pg.Client({ connectionString: databaseUrl });
  await reader.connect();
  const jobRuns = await reader.query<{ ms: string }>(
    `select extract(epoch from (completed_on - started_on)) * 1000 as ms from pgboss.job
      where name = $1 and state = 'completed'`,
    [PUBLISH_QUEUE],
  );
  await reader.end();
  const runMs = jobRuns.rows.map((row) => Number(row.ms)).sort((a, b) => a - b);
  const byStatus: Record<string, number> = {};
  for (const target of targets) byStatus[target.status] = (byStatus[target.status] ?? 0) + 1;
  const errors: Record<string, number> = {};
  for (const target of targets) if (target.errorCode) errors[target.errorCode] = (errors[target.errorCode] ?? 0) + 1;

  const report = {
    scenario: 'publish burst',
    database: 'PostgreSQL',
    processes: 'Tether ROLE=all + ROLE=worker (publish queue: 4 workers × batches of 16 per process)',
    accounts: ACCOUNTS,
    postsPerAccount: POSTS_PER_ACCOUNT,
    targets: total,
    createPostsMs: createMs,
    /** Targets whose containers were ready before the scheduled instant (PUBLISH_PREPARE_AHEAD_MINUTES). */
    preparedAhead: targets.filter((target) => target.preparedAt && target.preparedAt <= scheduledAt).length,
    scheduledAt: scheduledAt.toISOString(),
    boundSeconds: BOUND_S,
    byStatus,
    errors,
    published: lateness.length,
    publishedWithinBound: publishedInBound,
    lost: total - publishedInBound,
    /** Over every target; null: later than the bound (that share of targets was not published in time). */
    latenessMs: {
      median: finite(percentile(overAll, 50)),
      p99: finite(percentile(overAll, 99)),
      max: finite(percentile(overAll, 100)),
    },
    latenessOfPublishedMs: {
      min: lateness[0] ?? null,
      median: percentile(lateness, 50),
      p99: percentile(lateness, 99),
      max: lastMs,
    },
    publishJobRunMs: {
      jobs: runMs.length,
      median: percentile(runMs, 50) === null ? null : Number(percentile(runMs, 50)!.toFixed(1)),
      p99: percentile(runMs, 99) === null ? null : Number(percentile(runMs, 99)!.toFixed(1)),
    },
    drainSeconds: lastMs === null ? null : Number((lastMs / 1000).toFixed(1)),
    throughputTargetsPerSecond: lastMs ? Number((lateness.length / (lastMs / 1000)).toFixed(2)) : null,
    /** Share of the two workers' time spent running publish jobs while draining. */
    workerBusyShare:
      lastMs && runMs.length ? Number((runMs.reduce((sum, ms) => sum + ms, 0) / (2 * lastMs)).toFixed(3)) : null,
    platform: {
      media,
      containers: containers.length,
      mediaPerTarget: Number((media / total).toFixed(3)),
      containersPerTarget: Number((containers.length / total).toFixed(3)),
      duplicatesPerContainer,
      mediaFromUnknownContainers,
      mediaBeyondPostsPerAccount,
      calls: platform.sortedCalls(),
    },
  };
  const duplicates = duplicatesPerContainer + mediaFromUnknownContainers;
  console.log(JSON.stringify(report, null, 2));
  const s = (ms: number | null) => (ms === null ? `> ${BOUND_S} s` : `${(ms / 1000).toFixed(2)} s`);
  console.log(
    '| scenario | accounts × posts | published within bound | lost (> bound) | duplicates | media / targets | lateness median | p99 | max | throughput | publish job run (median) | workers busy |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| ${report.scenario} | ${ACCOUNTS} × ${POSTS_PER_ACCOUNT} | ${publishedInBound} / ${total} | ${report.lost} (${BOUND_S} s) | ${duplicates} | ${report.platform.mediaPerTarget} | ${s(report.latenessMs.median)} | ${s(report.latenessMs.p99)} | ${s(report.latenessMs.max)} | ${report.throughputTargetsPerSecond ?? 'n/a'} targets/s | ${report.publishJobRunMs.median ?? 'n/a'} ms | ${report.workerBusyShare === null ? 'n/a' : `${(report.workerBusyShare * 100).toFixed(1)} %`} |`,
  );
  await boss.stop({ graceful: false, close: true });
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await stopTether(children);
  await database.close();
  await platform.server.close();
  await admin.query(`drop database if exists ${dbName} with (force)`).catch((error) => console.error(error));
  await admin.end();
  if (failed || args['keep-logs']) log(`Tether logs kept in ${workDir}`);
  else fs.rmSync(workDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
