import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { INSTAGRAM_LOGIN_SCOPES } from '../src/providers/instagram-login/provider.ts';
import { DEFAULT_APPS } from '../src/sandbox/core/apps.ts';
import { DAY } from '../src/sandbox/core/clock.ts';
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
import { freePort } from '../test/helpers/server-process.ts';

/**
 * Footprint of the all-in-one process (`npm start`: `node src/server/main.ts`, ROLE=all, embedded
 * database):
 *
 * 1. Start time: from spawning the process to `GET /health` answering 200, with the embedded
 *    defaults (PGlite, the sandbox mounted, nothing configured) on a fresh DATA_DIR, and again on
 *    the DATA_DIR it left (a restart). Baseline in the same run: a bare Fastify server started with
 *    `node -e`, to the same answer.
 * 2. Idle RSS of that process once start-up has settled (VmRSS in /proc/<pid>/status).
 * 3. RSS under a publish burst: the same process publishes `--accounts` × `--posts` Instagram posts
 *    scheduled for one instant, to the provider sandbox running in this benchmark's process; RSS is
 *    sampled every 100 ms, the peak reported with the kernel's own high-water mark (VmHWM).
 *
 *   npm run bench -- footprint [--quick] [--starts K] [--accounts N] [--posts M]
 */
const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== 'footprint'),
  options: {
    quick: { type: 'boolean', default: false },
    starts: { type: 'string' },
    accounts: { type: 'string' },
    posts: { type: 'string' },
  },
});
const STARTS = Number(args.starts ?? (args.quick ? 1 : 5));
const ACCOUNTS = Number(args.accounts ?? (args.quick ? 10 : 20));
const POSTS_PER_ACCOUNT = Number(args.posts ?? (args.quick ? 10 : 50));
const SETTLE_MS = args.quick ? 3000 : 15_000;
/** From writing the posts' time to that time: enough for the server to start and settle. */
const LEAD_MS = args.quick ? 12_000 : 30_000;
/** The burst counts as failed when not drained this long after its time. */
const BOUND_MS = Number(process.env.FOOTPRINT_BOUND_MS ?? 300_000);
const ROOT = path.resolve(import.meta.dirname, '..');
const MB = 2 ** 20;

const log = (message: string) => console.error(`[footprint ${new Date().toISOString()}] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mb = (bytes: number) => Number((bytes / MB).toFixed(1));

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM), or 0 once the process is gone. */
function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Started {
  child: ChildProcess;
  ms: number;
  output: () => string;
}

/** Spawns `node <argv>` and times it until `GET url` answers 200, polling every 10 ms. */
async function startTimed(argv: string[], env: NodeJS.ProcessEnv, url: string): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, argv, { cwd: ROOT, env });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output}`);
    if (performance.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`not healthy within 60 s:\n${output}`);
    }
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { child, ms: performance.now() - started, output: () => output };
    await sleep(10);
  }
}

/** Idle RSS once start-up has settled: the median of one sample a second. */
async function idle(child: ChildProcess): Promise<number> {
  await sleep(SETTLE_MS);
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    samples.push(procStatus(child.pid ?? 0, 'VmRSS'));
    await sleep(1000);
  }
  return median(samples);
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-bench-footprint-'));
let failed = false;
try {
  // 1 and 2: start time and idle RSS with the embedded defaults.
  const bareMs: number[] = [];
  const freshMs: number[] = [];
  const restartMs: number[] = [];
  let idleRss = 0;
  let idleRestartRss = 0;
  const bareScript = `import Fastify from 'fastify';
const app = Fastify();
app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });`;
  for (let round = 0; round < STARTS; round++) {
    let port = await freePort();
    const bare = await startTimed(
      ['--input-type=module', '-e', bareScript],
      { ...baseEnv, PORT: String(port) },
      `http://127.0.0.1:${port}/health`,
    );
    bareMs.push(bare.ms);
    await stop(bare.child);

    const dataDir = path.join(workDir, `defaults-${round}`);
    port = await freePort();
    const env = { ...baseEnv, PORT: String(port), DATA_DIR: dataDir };
    const fresh = await startTimed(['src/server/main.ts'], env, `http://127.0.0.1:${port}/health`);
    freshMs.push(fresh.ms);
    if (round === 0) idleRss = await idle(fresh.child);
    await stop(fresh.child);
    const again = await startTimed(['src/server/main.ts'], env, `http://127.0.0.1:${port}/health`);
    restartMs.push(again.ms);
    if (round === 0) idleRestartRss = await idle(again.child);
    await stop(again.child);
    log(
      `start ${round + 1}/${STARTS}: bare ${bareMs.at(-1)?.toFixed(0)} ms, fresh ${freshMs.at(-1)?.toFixed(0)} ms, restart ${restartMs.at(-1)?.toFixed(0)} ms`,
    );
  }

  // 3: the burst. The platform is the sandbox in this process; the accounts, their tokens (through
  // the vault), one JPEG and the posts are written into the embedded database before the server
  // starts on it (the database belongs to one process at a time).
  const sandboxPort = await freePort();
  const port = await freePort();
  const sandbox = new Sandbox(`http://127.0.0.1:${sandboxPort}`);
  const sandboxServer = await buildSandboxServer({ sandbox });
  await sandboxServer.listen({ port: sandboxPort, host: '127.0.0.1' });
  const instagramApp = DEFAULT_APPS.find((app) => app.platform === 'instagram');
  if (!instagramApp) throw new Error('no sandbox Instagram app');
  const dataDir = path.join(workDir, 'burst');
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    TOKEN_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    SANDBOX: 'false',
    INSTAGRAM_APP_ID: instagramApp.id,
    INSTAGRAM_APP_SECRET: instagramApp.secret,
    INSTAGRAM_GRAPH_URL: sandbox.urls.instagramGraph,
    INSTAGRAM_API_URL: sandbox.urls.instagramApi,
    INSTAGRAM_WWW_URL: sandbox.urls.instagramWww,
  };
  const { config } = loadConfig({ ...env, ROLE: 'web' });
  const logger = createLogger('warn');
  const database = await openDatabase({ databaseUrl: undefined, dataDir });
  await database.migrate();
  const connections = createConnectDeps({ config, db: database.db, log: logger });
  const userId = 'bench-user';
  await database.db.insert(user).values({ id: userId, name: 'Bench', email: 'bench@example.com' });
  const accountIds: string[] = [];
  for (let index = 0; index < ACCOUNTS; index++) {
    const externalId = `178414${String(20_000_000_000 + index)}`;
    sandbox.instagram.accounts.set(externalId, {
      id: externalId,
      appScopedId: `259${String(20_000_000_000_000 + index)}`,
      username: `footprint.${index}`,
      name: `Footprint ${index}`,
      accountType: 'BUSINESS',
      profilePictureUrl: `${sandbox.urls.media}/avatars/northwind-coffee.jpg`,
      followersCount: 1000,
      followsCount: 100,
      quotaTotal: Math.max(50, POSTS_PER_ACCOUNT * 2),
    });
    const token = sandbox.tokens.issue({
      kind: 'instagram_user',
      appId: instagramApp.id,
      subjectId: externalId,
      scopes: [...INSTAGRAM_LOGIN_SCOPES],
      expiresInMs: 60 * DAY,
      longLived: true,
    });
    const now = Date.now();
    const [row] = await database.db
      .insert(connectedAccounts)
      .values({
        userId,
        provider: 'instagram_login',
        externalId,
        username: `footprint.${index}`,
        status: 'active',
        grantedScopes: [...INSTAGRAM_LOGIN_SCOPES],
        tokenExpiresAt: new Date(token.expiresAt ?? now),
        tokenObtainedAt: new Date(now),
        lastCheckedAt: new Date(now),
        nextCheckAt: new Date(now + REINSPECT_EVERY_MS),
      })
      .returning({ id: connectedAccounts.id });
    if (!row) throw new Error('account insert returned nothing');
    await connections.vault.store(database.db, {
      accountId: row.id,
      kind: 'user_access',
      secret: new Secret(token.token),
    });
    accountIds.push(row.id);
  }
  const jpeg = await sharp({ create: { width: 1080, height: 1080, channels: 3, background: '#3a70c0' } })
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
      fileName: 'footprint.jpg',
      source: (async function* () {
        yield jpeg;
      })(),
    },
  );
  const boss = await startJobs({ database, role: 'web', logger, connections });
  const total = ACCOUNTS * POSTS_PER_ACCOUNT;
  const createStarted = performance.now();
  // Created for an hour ahead, then moved to a few seconds after the server will have started.
  const later = new Date(Date.now() + 3600_000).toISOString();
  for (const accountId of accountIds)
    for (let n = 0; n < POSTS_PER_ACCOUNT; n++)
      await createPost(connections, boss, {
        userId,
        body: {
          caption: `Footprint post ${n + 1}`,
          mediaIds: [stored.id],
          targets: [{ accountId, kind: 'feed' }],
          scheduledAt: later,
        },
      });
  log(`created ${total} posts in ${((performance.now() - createStarted) / 1000).toFixed(1)} s`);
  await boss.stop({ graceful: false, close: true });
  const scheduledAt = new Date(Date.now() + LEAD_MS);
  await database.db.execute(sql`update posts set scheduled_at = ${scheduledAt}`);
  await database.db.execute(sql`update pgboss.job set start_after = ${scheduledAt} where name = ${PUBLISH_QUEUE}`);
  await database.close();

  const server = await startTimed(['src/server/main.ts'], env, `http://127.0.0.1:${port}/health`);
  const pid = server.child.pid ?? 0;
  const before: number[] = [];
  const during: number[] = [];
  const deadline = scheduledAt.getTime() + BOUND_MS;
  while (sandbox.instagram.media.size < total && Date.now() < deadline) {
    (Date.now() < scheduledAt.getTime() ? before : during).push(procStatus(pid, 'VmRSS'));
    await sleep(100);
  }
  const drainedMs = Date.now() - scheduledAt.getTime();
  const peakRss = procStatus(pid, 'VmHWM');
  const afterRss = procStatus(pid, 'VmRSS');
  await stop(server.child);
  await sandboxServer.close();
  const published = sandbox.instagram.media.size;
  // How the targets ended, from the database the server has let go of.
  const after = await openDatabase({ databaseUrl: undefined, dataDir });
  const outcomes: Record<string, number> = {};
  for (const target of await after.db.select().from(postTargets)) {
    const key = target.errorCode ? `${target.status}: ${target.errorCode} ${target.errorMessage ?? ''}` : target.status;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  await after.close();
  if (published !== total) {
    failed = true;
    log(`only ${published} of ${total} posts were published within ${BOUND_MS / 1000} s; the server's log:`);
    console.error(server.output().slice(-20_000));
  }

  const report = {
    scenario: 'footprint of the all-in-one process',
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    starts: STARTS,
    startMs: {
      bareFastifyMedian: Math.round(median(bareMs)),
      freshDataDirMedian: Math.round(median(freshMs)),
      restartMedian: Math.round(median(restartMs)),
      bare: bareMs.map(Math.round),
      fresh: freshMs.map(Math.round),
      restart: restartMs.map(Math.round),
      ratioFreshToBare: Number((median(freshMs) / median(bareMs)).toFixed(1)),
    },
    idleRssMb: { afterFreshStart: mb(idleRss), afterRestart: mb(idleRestartRss) },
    burst: {
      database: 'PGlite (embedded)',
      accounts: ACCOUNTS,
      postsPerAccount: POSTS_PER_ACCOUNT,
      published,
      outcomes,
      drainSeconds: Number((drainedMs / 1000).toFixed(1)),
      rssBeforeBurstMb: mb(median(before)),
      rssPeakSampledMb: mb(Math.max(0, ...during)),
      rssPeakVmHwmMb: mb(peakRss),
      rssAfterMb: mb(afterRss),
    },
  };
  console.log(JSON.stringify(report, null, 2));
  console.log(
    '| start, bare Fastify | start, Tether fresh DATA_DIR | restart | ratio | idle RSS: fresh / restart | posts | RSS before burst | peak RSS during burst (sampled) | VmHWM | drained in |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| ${report.startMs.bareFastifyMedian} ms | ${report.startMs.freshDataDirMedian} ms | ${report.startMs.restartMedian} ms | ${report.startMs.ratioFreshToBare} | ${report.idleRssMb.afterFreshStart} / ${report.idleRssMb.afterRestart} MB | ${published} / ${total} | ${report.burst.rssBeforeBurstMb} MB | ${report.burst.rssPeakSampledMb} MB | ${report.burst.rssPeakVmHwmMb} MB | ${report.burst.drainSeconds} s |`,
  );
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
