import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import sharp from 'sharp';
import { INSTAGRAM_LOGIN_SCOPES } from '../src/providers/instagram-login/provider.ts';
import { DEFAULT_APPS } from '../src/sandbox/core/apps.ts';
import { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { buildSandboxServer } from '../src/sandbox/server.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { connectedAccounts, postTargets, user } from '../src/server/db/schema/index.ts';
import { startJobs } from '../src/server/jobs/runner.ts';
import { createLogger } from '../src/server/logger.ts';
import { LocalDiskStorage, mediaRoot } from '../src/server/media/local-disk-storage.ts';
import { REINSPECT_EVERY_MS } from '../src/server/services/connect-account.ts';
import { createConnectDeps } from '../src/server/services/connect-deps.ts';
import { storeUpload } from '../src/server/services/media.ts';
import { createPost, PUBLISH_QUEUE } from '../src/server/services/posts.ts';
import { Secret } from '../src/server/vault/secret.ts';

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
const LEAD_S = Number(args.lead ?? (args.quick ? 20 : 45));
/** A target not published this long after the scheduled instant counts as lost. */
const BOUND_S = Number(args.bound ?? 180);
const CREATE_CONCURRENCY = 4;
const ROOT = path.resolve(import.meta.dirname, '..');

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('publish-burst needs DATABASE_URL: a PostgreSQL server on which it may create a database');
  process.exit(1);
}

const log = (message: string) => console.error(`[publish-burst ${new Date().toISOString()}] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// A database of its own, so the run starts empty and leaves nothing behind.
const dbName = `tether_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const databaseUrl = Object.assign(new URL(baseUrl), { pathname: `/${dbName}` }).toString();

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-bench-burst-'));
const dataDir = path.join(workDir, 'data');
const children: { name: string; process: ChildProcess; logFile: string }[] = [];
let failed = false;

// The platform: the sandbox, standalone on its own port.
const sandboxPort = await freePort();
const webPort = await freePort();
const sandbox = new Sandbox(`http://127.0.0.1:${sandboxPort}`);
const sandboxServer = await buildSandboxServer({ sandbox });
const calls = new Map<string, number>();
sandboxServer.addHook('onResponse', async (request) => {
  const endpoint = request.routeOptions.config?.endpoint;
  if (endpoint) calls.set(endpoint, (calls.get(endpoint) ?? 0) + 1);
});
await sandboxServer.listen({ port: sandboxPort, host: '127.0.0.1' });
const instagramApp = DEFAULT_APPS.find((app) => app.platform === 'instagram');
if (!instagramApp) throw new Error('no sandbox Instagram app');

// The environment of every Tether process (and of this one's config): built from scratch, so no
// provider variable of the caller's shell leaks in.
const tetherEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1',
  PORT: String(webPort),
  PUBLIC_URL: `http://127.0.0.1:${webPort}`,
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl,
  TOKEN_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
  AUTH_SECRET: randomBytes(32).toString('base64url'),
  SANDBOX: 'false',
  INSTAGRAM_APP_ID: instagramApp.id,
  INSTAGRAM_APP_SECRET: instagramApp.secret,
  INSTAGRAM_GRAPH_URL: sandbox.urls.instagramGraph,
  INSTAGRAM_API_URL: sandbox.urls.instagramApi,
  INSTAGRAM_WWW_URL: sandbox.urls.instagramWww,
};
const { config } = loadConfig({ ...tetherEnv, ROLE: 'web' });
const logger = createLogger('warn');
const database = await openDatabase({ databaseUrl, dataDir, poolSize: 8 });
await database.migrate();
const connections = createConnectDeps({ config, db: database.db, log: logger });

function startTether(name: string, role: 'all' | 'worker'): Promise<void> {
  const logFile = path.join(workDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [path.join(ROOT, 'src/server/main.ts')], {
    cwd: ROOT,
    env: { ...tetherEnv, ROLE: role },
    stdio: ['ignore', out, out],
  });
  children.push({ name, process: child, logFile });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const check = setInterval(() => {
      if (fs.readFileSync(logFile, 'utf8').includes('workers started')) {
        clearInterval(check);
        resolve();
      } else if (child.exitCode !== null || Date.now() > deadline) {
        clearInterval(check);
        reject(new Error(`${name} did not start; see ${logFile}`));
      }
    }, 200);
  });
}

async function stopAll() {
  await Promise.all(
    children.map(
      ({ process: child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

try {
  // Setup, not measured: one user and N connected accounts written straight into the database,
  // with the tokens the sandbox issued encrypted through the vault, as a connect flow would leave
  // them (Instagram Login; token valid 60 days, so no refresh is due and no check is near).
  const userId = 'bench-user';
  await database.db.insert(user).values({ id: userId, name: 'Bench', email: 'bench@example.com' });
  const now = Date.now();
  const accountIds: string[] = [];
  await database.db.transaction(async (tx) => {
    for (let index = 0; index < ACCOUNTS; index++) {
      const externalId = `178414${String(90_000_000_000 + index)}`;
      const username = `burst.account.${index}`;
      sandbox.instagram.accounts.set(externalId, {
        id: externalId,
        appScopedId: `259${String(90_000_000_000_000 + index)}`,
        username,
        name: `Burst Account ${index}`,
        accountType: 'BUSINESS',
        profilePictureUrl: `${sandbox.urls.media}/avatars/northwind-coffee.jpg`,
        followersCount: 1000,
        followsCount: 100,
        // Instagram's default is 50 posts per 24 h; the burst stays well inside it.
        quotaTotal: Math.max(50, POSTS_PER_ACCOUNT * 2),
      });
      const token = sandbox.tokens.issue({
        kind: 'instagram_user',
        appId: instagramApp.id,
        subjectId: externalId,
        scopes: [...INSTAGRAM_LOGIN_SCOPES],
        expiresInMs: 60 * 24 * 60 * 60_000,
        longLived: true,
      });
      const [row] = await tx
        .insert(connectedAccounts)
        .values({
          userId,
          provider: 'instagram_login',
          externalId,
          username,
          displayName: `Burst Account ${index}`,
          status: 'active',
          grantedScopes: [...INSTAGRAM_LOGIN_SCOPES],
          tokenExpiresAt: new Date(token.expiresAt ?? now),
          tokenObtainedAt: new Date(now),
          lastCheckedAt: new Date(now),
          nextCheckAt: new Date(now + REINSPECT_EVERY_MS),
        })
        .returning({ id: connectedAccounts.id });
      if (!row) throw new Error('account insert returned nothing');
      await connections.vault.store(tx, { accountId: row.id, kind: 'user_access', secret: new Secret(token.token) });
      accountIds.push(row.id);
    }
  });

  // One JPEG in the library, through the media service (the storage the web process serves from).
  const jpeg = await sharp({ create: { width: 1080, height: 1080, channels: 3, background: '#c0703a' } })
    .jpeg()
    .toBuffer();
  const stored = await storeUpload(
    {
      db: database.db,
      storage: new LocalDiskStorage(mediaRoot(dataDir)),
      publicUrl: config.publicUrl,
      limits: config.media,
      log: logger,
    },
    {
      userId,
      fileName: 'burst.jpg',
      source: (async function* () {
        yield jpeg;
      })(),
    },
  );

  log(`starting Tether (ROLE=all on :${webPort}, ROLE=worker) against ${dbName}; sandbox on :${sandboxPort}`);
  await Promise.all([startTether('tether-all', 'all'), startTether('tether-worker', 'worker')]);

  // The posts, through createPost, from this process (a web role: it enqueues, never works).
  const boss = await startJobs({ database, role: 'web', logger, connections });
  const createStarted = Date.now();
  const scheduledAt = new Date(Math.ceil((createStarted + LEAD_S * 1000) / 1000) * 1000);
  const work = accountIds.flatMap((accountId) =>
    Array.from({ length: POSTS_PER_ACCOUNT }, (_, n) => ({ accountId, n })),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      for (let item = work[next++]; item; item = work[next++]) {
        await createPost(connections, boss, {
          userId,
          body: {
            caption: `Burst post ${item.n + 1} #bench`,
            mediaIds: [stored.id],
            targets: [{ accountId: item.accountId, kind: 'feed' }],
            scheduledAt: scheduledAt.toISOString(),
          },
        });
      }
    }),
  );
  const createMs = Date.now() - createStarted;
  const total = work.length;
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
  const media = [...sandbox.instagram.media.values()];
  const containers = [...sandbox.instagram.containers.values()];
  const mediaPerContainer = new Map<string, number>();
  for (const item of media) mediaPerContainer.set(item.containerId, (mediaPerContainer.get(item.containerId) ?? 0) + 1);
  const targetContainers = new Set(targets.map((target) => target.containerId).filter(Boolean));
  // Duplicates: media beyond one per target container, plus media from containers no target
  // knows (a second upload that was published too), plus media beyond the posts per account.
  const duplicatesPerContainer = [...mediaPerContainer.values()].reduce(
    (sum, count) => sum + Math.max(0, count - 1),
    0,
  );
  const mediaFromUnknownContainers = media.filter((item) => !targetContainers.has(item.containerId)).length;
  const mediaPerAccount = new Map<string, number>();
  for (const item of media) mediaPerAccount.set(item.accountId, (mediaPerAccount.get(item.accountId) ?? 0) + 1);
  const targetsPerAccount = new Map<string, number>();
  for (const target of targets) {
    const external = externalOf.get(target.accountId) ?? '';
    targetsPerAccount.set(external, (targetsPerAccount.get(external) ?? 0) + 1);
  }
  const mediaBeyondPostsPerAccount = [...mediaPerAccount].reduce(
    (sum, [account, count]) => sum + Math.max(0, count - (targetsPerAccount.get(account) ?? 0)),
    0,
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
      media: media.length,
      containers: containers.length,
      mediaPerTarget: Number((media.length / total).toFixed(3)),
      containersPerTarget: Number((containers.length / total).toFixed(3)),
      duplicatesPerContainer,
      mediaFromUnknownContainers,
      mediaBeyondPostsPerAccount,
      calls: Object.fromEntries([...calls].sort(([a], [b]) => a.localeCompare(b))),
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
  await stopAll();
  await database.close();
  await sandboxServer.close();
  await admin.query(`drop database if exists ${dbName} with (force)`).catch((error) => console.error(error));
  await admin.end();
  if (failed || args['keep-logs']) log(`Tether logs kept in ${workDir}`);
  else fs.rmSync(workDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
