import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import type { RandomFaults } from '../src/sandbox/core/faults.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { connectedAccounts, postTargets } from '../src/server/db/schema/index.ts';
import { startJobs } from '../src/server/jobs/runner.ts';
import { createLogger } from '../src/server/logger.ts';
import { createConnectDeps } from '../src/server/services/connect-deps.ts';
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
 * Fault injection (`npm run chaos [-- --quick] [--seed N] [--keep-logs]`): a publish burst and a
 * keep-alive refresh sweep run by two Tether processes (ROLE=all and ROLE=worker) on a throwaway
 * PostgreSQL cluster, while the sandbox (in this process, on a loopback port) fails a share of
 * platform calls with 5xx answers, timeouts and rate limits, the worker is SIGKILLed every few
 * seconds and started again, and PostgreSQL is stopped in immediate mode and started once. Then
 * the faults stop, everything settles, and the run counts duplicates, lost posts and lost tokens:
 * any of them, or a Tether process that died on its own, fails it (exit 1).
 *
 * PostgreSQL's initdb and pg_ctl come from CHAOS_PG_BIN, or the newest /usr/lib/postgresql/<v>/bin;
 * as root they run as the `postgres` user (runuser). CHAOS_PG_PORT picks the port (else a free one).
 */
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    'keep-logs': { type: 'boolean', default: false },
  },
});
const QUICK = args.quick;
const SEED = Number(args.seed);
const PUBLISH_ACCOUNTS = QUICK ? 10 : 40;
const POSTS_PER_ACCOUNT = 5;
/** Accounts only due for a refresh (the publishing accounts are due too). */
const REFRESH_ONLY_ACCOUNTS = QUICK ? 20 : 100;
/** Seconds from creating the posts to their scheduled instant. */
const LEAD_S = 8;
/** How long faults, kills and the PostgreSQL restart go on, from the scheduled instant. */
const CHAOS_S = QUICK ? 24 : 120;
/** Seconds a (re)started worker runs before it is killed. */
const KILL_EVERY_S = QUICK ? 4 : 6;
/** After the faults stop, how long everything has to settle before what is left counts as lost. */
const SETTLE_BOUND_S = QUICK ? 70 : 420;
/**
 * Each platform call fails with one of these: 10 % server errors, 5 % timeouts (half of them
 * after the platform carried the call out, so the answer of a publish or a refresh that happened
 * is lost), and rate limits.
 */
const ENDPOINTS_WITH_LONG_WAITS = ['ig.graph.refresh_access_token', 'ig.graph.me'];
const FAULTS: RandomFaults = {
  seed: SEED,
  rules: [
    { kind: 'server_error', rate: 0.1 },
    { kind: 'timeout', rate: 0.025 },
    { kind: 'answer_lost', rate: 0.025 },
    // Meta's throttling makes Tether wait at least 5 minutes: past the quick run's bound, so there
    // rate limits hit the keep-alive calls only; the full run throttles every call.
    QUICK
      ? { kind: 'rate_limit', rate: 0.1, endpoints: ENDPOINTS_WITH_LONG_WAITS }
      : { kind: 'rate_limit', rate: 0.02 },
  ],
};
/** Injected timeouts cost this much each (PLATFORM_TIMEOUT_MS of the Tether processes). */
const PLATFORM_TIMEOUT_MS = 2_000;
const DAY_MS = 24 * 60 * 60_000;

const started = Date.now();
const log = (message: string) =>
  console.error(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

// PostgreSQL: a cluster of its own, so it can be restarted without disturbing anyone.
function postgresBin(): string {
  if (process.env.CHAOS_PG_BIN) return process.env.CHAOS_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((version) => fs.existsSync(path.join(root, version, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0])
    throw new Error('no PostgreSQL binaries found: set CHAOS_PG_BIN to the directory of initdb and pg_ctl');
  return path.join(root, versions[0], 'bin');
}
const pgBin = postgresBin();
const asRoot = process.getuid?.() === 0;
function pg(tool: string, toolArgs: string[]): void {
  const command = path.join(pgBin, tool);
  const [file, ...rest] = asRoot ? ['runuser', '-u', 'postgres', '--', command, ...toolArgs] : [command, ...toolArgs];
  const result = spawnSync(file as string, rest, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout || result.error}`);
}
const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-chaos-pg-'));
if (asRoot) {
  const ids = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  fs.chownSync(pgDir, ids('-u'), ids('-g'));
}
const pgPort = Number(process.env.CHAOS_PG_PORT ?? (await freePort()));
const pgData = path.join(pgDir, 'data');
const pgOptions = `-p ${pgPort} -k ${pgDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
const startPostgres = () => pg('pg_ctl', ['-D', pgData, '-l', path.join(pgDir, 'log'), '-w', '-o', pgOptions, 'start']);
pg('initdb', ['-D', pgData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
startPostgres();
const databaseUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
log(`PostgreSQL (${pgBin}) on :${pgPort}`);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-chaos-'));
const dataDir = path.join(workDir, 'data');
const platform = await startPlatform();
const { sandbox } = platform;
const webPort = await freePort();
const tetherEnv = tetherEnvironment({
  webPort,
  dataDir,
  databaseUrl,
  sandbox,
  instagramApp: platform.instagramApp,
  extra: { PLATFORM_TIMEOUT_MS: String(PLATFORM_TIMEOUT_MS) },
});
const { config } = loadConfig({ ...tetherEnv, ROLE: 'web' });
const logger = createLogger('fatal');
const database = await openDatabase({ databaseUrl, dataDir, poolSize: 4 });
await database.migrate();
const connections = createConnectDeps({ config, db: database.db, log: logger });

let all: TetherChild | undefined;
let worker: TetherChild | undefined;
const stopped = new Set<TetherChild['process']>();
/** Exits nobody asked for: a Tether process that died of a fault. */
const unexpectedExits: string[] = [];
const watch = (child: TetherChild) => {
  child.process.once('exit', (code, signal) => {
    if (!stopped.has(child.process)) unexpectedExits.push(`${child.name} exited (${signal ?? code})`);
  });
  return child;
};
let kills = 0;
let workerStarts = 0;
let failed = false;

try {
  const userId = await createBenchUser(database.db);
  // A 60-day token 55 days old: inside the 10-day refresh margin, and old enough for Instagram to refresh.
  const due = { quotaTotal: 50, tokenAgeMs: 55 * DAY_MS, dueNow: true };
  const publishing = await seedInstagramAccounts(connections, platform, { userId, count: PUBLISH_ACCOUNTS, ...due });
  const refreshOnly = await seedInstagramAccounts(connections, platform, {
    userId,
    count: REFRESH_ONLY_ACCOUNTS,
    firstIndex: PUBLISH_ACCOUNTS,
    ...due,
  });
  const mediaId = await storeBenchJpeg({ db: database.db, config, logger, userId });

  all = watch(await startTether(workDir, tetherEnv, 'tether-all', 'all'));
  worker = watch(await startTether(workDir, tetherEnv, 'tether-worker', 'worker'));
  workerStarts += 1;
  const boss = await startJobs({ database, role: 'web', logger, connections });
  const scheduledAt = new Date(Math.ceil((Date.now() + LEAD_S * 1000) / 1000) * 1000);
  const total = await createBurst(connections, boss, {
    userId,
    accountIds: publishing.map((account) => account.id),
    postsPerAccount: POSTS_PER_ACCOUNT,
    mediaId,
    scheduledAt,
  });
  log(
    `${total} posts on ${PUBLISH_ACCOUNTS} accounts scheduled for ${scheduledAt.toISOString()}; ${publishing.length + refreshOnly.length} accounts due for a refresh`,
  );

  await sleep(scheduledAt.getTime() - Date.now() - 1000);
  sandbox.faults.setRandom(FAULTS);
  await boss.send('keep-alive-sweep', {});
  log('faults on; keep-alive sweep queued');

  // The worker dies every few seconds and comes back; PostgreSQL restarts once, 40 % into the chaos.
  const chaosEnd = Date.now() + CHAOS_S * 1000;
  const restartAt = Date.now() + CHAOS_S * 400;
  let restarted = false;
  while (Date.now() < chaosEnd) {
    await sleep(KILL_EVERY_S * 1000);
    if (worker && worker.process.exitCode === null && worker.process.signalCode === null) {
      stopped.add(worker.process);
      const exited = new Promise((resolve) => worker?.process.once('exit', resolve));
      worker.process.kill('SIGKILL');
      await exited;
      kills += 1;
    }
    if (!restarted && Date.now() >= restartAt) {
      pg('pg_ctl', ['-D', pgData, '-m', 'immediate', 'stop']);
      log('PostgreSQL stopped (immediate)');
      await sleep(1000);
      startPostgres();
      restarted = true;
      log('PostgreSQL started again');
      await boss.send('keep-alive-sweep', {}).catch(() => undefined);
    }
    // A start while the database is away fails like any start would; try again until it works.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        worker = watch(await startTether(workDir, tetherEnv, 'tether-worker', 'worker', 30_000));
        workerStarts += 1;
        break;
      } catch (error) {
        log(`worker start failed (${(error as Error).message}); again`);
        await sleep(1000);
      }
    }
  }
  sandbox.faults.setRandom(undefined);
  log(`faults off after ${CHAOS_S} s: ${kills} worker kills, PostgreSQL restarted once`);

  // Settle: every target published or given up, or the bound passed.
  const boundAt = Date.now() + SETTLE_BOUND_S * 1000;
  let lastLine = '';
  for (;;) {
    const rows = await database.db
      .select({ status: postTargets.status, count: sql<number>`count(*)::int` })
      .from(postTargets)
      .groupBy(postTargets.status)
      .catch(() => []);
    const counts = Object.fromEntries(rows.map((row) => [row.status, row.count]));
    const line = Object.entries(counts)
      .map(([status, count]) => `${status}=${count}`)
      .join(' ');
    if (line !== lastLine) log(line);
    lastLine = line;
    const settled = (counts.published ?? 0) + (counts.failed ?? 0) + (counts.canceled ?? 0);
    if (settled === total || Date.now() > boundAt) break;
    await sleep(1000);
  }
  // Stop Tether before counting, so no check or publish is still on its way.
  for (const child of [all, worker]) if (child) stopped.add(child.process);
  await stopTether([all, worker].filter((child): child is TetherChild => child !== undefined));
  await boss.stop({ graceful: false, close: true });
  log('Tether stopped; counting');

  // Duplicates and lost posts.
  const targets = await database.db.select().from(postTargets);
  const accounts = await database.db.select().from(connectedAccounts).where(eq(connectedAccounts.userId, userId));
  const externalOf = new Map(accounts.map((row) => [row.id, row.externalId]));
  const platformCounts = platformDuplicates(sandbox, targets, externalOf);
  const duplicates =
    platformCounts.duplicatesPerContainer +
    platformCounts.mediaFromUnknownContainers +
    platformCounts.mediaBeyondPostsPerAccount;
  const lost = targets.filter((target) => target.status !== 'published');
  const byStatus: Record<string, number> = {};
  for (const target of targets) byStatus[target.status] = (byStatus[target.status] ?? 0) + 1;
  const errors: Record<string, number> = {};
  for (const target of lost) errors[target.errorCode ?? 'none'] = (errors[target.errorCode ?? 'none'] ?? 0) + 1;

  // Lost tokens: every stored token must still work on the platform, no account may have been
  // wrongly given up, and a refresh Tether recorded must have stored the platform's new token.
  const tokenProblems: string[] = [];
  let refreshedAccounts = 0;
  for (const account of accounts) {
    const stored = await connections.vault.read(database.db, account.id, 'user_access');
    const state = sandbox.tokens.check(stored?.reveal());
    if (!state.ok) tokenProblems.push(`${account.username}: stored token ${stored ? state.reason : 'missing'}`);
    if (account.status !== 'active' && account.status !== 'expiring')
      tokenProblems.push(`${account.username}: ${account.status} (${account.statusReason})`);
    if (account.refreshCount > 0) {
      refreshedAccounts += 1;
      if (state.ok && !state.record.parent)
        tokenProblems.push(`${account.username}: refreshed, but the stored token is the original one`);
    }
    const platformExpiry = state.ok ? state.record.expiresAt : null;
    if (platformExpiry && Math.abs(platformExpiry - (account.tokenExpiresAt?.getTime() ?? 0)) > 60_000)
      tokenProblems.push(`${account.username}: stored expiry differs from the platform's`);
  }
  const refreshesOnPlatform = sandbox.tokens.list().filter((token) => token.parent).length;
  const refreshesStored = accounts.reduce((sum, account) => sum + account.refreshCount, 0);
  const calls = platform.sortedCalls();
  const report = {
    mode: QUICK ? 'quick' : 'full',
    seed: SEED,
    seconds: Math.round((Date.now() - started) / 1000),
    chaosSeconds: CHAOS_S,
    settleBoundSeconds: SETTLE_BOUND_S,
    faultRules: FAULTS.rules,
    faultsInjected: sandbox.faults.random().injected,
    workerKills: kills,
    workerStarts,
    postgresRestarts: 1,
    unexpectedExits,
    targets: targets.length,
    byStatus,
    errorsOfLost: errors,
    publishCalls: calls['ig.graph.media_publish'] ?? 0,
    containerCreateCalls: calls['ig.graph.media.create'] ?? 0,
    accounts: accounts.length,
    accountsRefreshed: refreshedAccounts,
    refreshCalls: calls['ig.graph.refresh_access_token'] ?? 0,
    refreshesOnPlatform,
    refreshesStored,
    /** Tokens the platform issued by a refresh that Tether never stored (a kill or a lost answer); the old token stays valid. */
    refreshesNotStored: refreshesOnPlatform - refreshesStored,
    platform: platformCounts,
    duplicates,
    lostPosts: lost.length,
    lostTokens: tokenProblems.length,
    tokenProblems: tokenProblems.slice(0, 20),
  };
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `chaos ${report.mode}: duplicates ${duplicates}, lost posts ${lost.length}, lost tokens ${tokenProblems.length}` +
      ` | ${targets.length} posts, ${accounts.length} accounts, ${refreshedAccounts} refreshed` +
      ` | faults ${JSON.stringify(report.faultsInjected)}, ${kills} kills, 1 PostgreSQL restart, ${report.seconds} s`,
  );
  failed = duplicates > 0 || lost.length > 0 || tokenProblems.length > 0 || unexpectedExits.length > 0;
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  for (const child of [all, worker]) if (child) stopped.add(child.process);
  await stopTether([all, worker].filter((child): child is TetherChild => child !== undefined));
  await database.close().catch(() => undefined);
  await platform.server.close();
  try {
    pg('pg_ctl', ['-D', pgData, '-m', 'immediate', 'stop']);
  } catch (error) {
    console.error(error);
  }
  fs.rmSync(pgDir, { recursive: true, force: true });
  if (failed || args['keep-logs']) log(`Tether logs kept in ${workDir}`);
  else fs.rmSync(workDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
