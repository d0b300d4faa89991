import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/contracts/posts.ts';
import { type DatabaseHandle, openDatabase } from '../src/server/db/client.ts';
import { notifications, postTargets } from '../src/server/db/schema/index.ts';
import { jpeg } from './helpers/fixtures.ts';
import { processEnvironment, signUpAndConnect, until } from './helpers/processes.ts';
import { instagramLoginEnv, type RunningSandbox, startSandbox } from './helpers/sandbox.ts';
import { freePort, type ServerProcess, startServer } from './helpers/server-process.ts';
import { onPostgres } from './helpers/test-database.ts';

/**
 * Exactly-once publishing when workers die: real Tether processes (`src/server/main.ts`) on one
 * PostgreSQL database — a web process and two workers — pointed at one external sandbox like a
 * deployment pointed at Instagram, with @sam.makes.things connected through Instagram Login.
 *
 * Each scenario holds the publish sequence of one post at a kill point, SIGKILLs the worker
 * running it, and starts a replacement. pg-boss fails the dead worker's job once its heartbeat is
 * stale and retries it on a live worker, which resumes from what the killed run stored. Two ways
 * of holding a step:
 * - a sandbox latency fault on the request (the fault is taken when the request arrives). A held
 *   GET is still answered after the delay, to nobody; a held POST dies with its client: Node
 *   destroys a request whose connection closed before it was answered, so the handler never reads
 *   the body and Instagram never acts on it.
 * - a row lock on the target, taken by the test while the step's request is held, so that the
 *   platform answers and the worker then waits to store the answer. The worker is killed in that
 *   wait and its database session ended with it (PostgreSQL would otherwise still run the blocked
 *   statement of the dead client once the lock is free): the platform acted, Tether never heard.
 *
 * Each worker calls the Graph API with its own version segment (the sandbox serves any vNN.N
 * alike), so the test can tell from a request which worker sent it and kill that one.
 */

/**
 * From a kill to a settled target: the heartbeat going stale (10 s), the next supervise pass
 * (every 10 s), the retry's backoff (1–2 s) and a worker's poll (2 s); about 12–25 s.
 */
const RECOVERY_MS = 40_000;

const root = path.resolve(import.meta.dirname, '..');

interface WorkerProcess {
  child: ChildProcess;
  /** The Graph version segment this worker's requests carry. */
  version: string;
  output(): string;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
}

/** Starts `ROLE=worker` (no HTTP listener) and waits until it has registered its job handlers. */
async function startWorker(env: Record<string, string>, version: string, timeoutMs = 30_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['src/server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env, ROLE: 'worker', FACEBOOK_GRAPH_VERSION: version },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const worker: WorkerProcess = {
    child,
    version,
    output: () => output,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await until('the worker to start', () => output.includes('workers started') || !running(), timeoutMs);
  } catch (error) {
    await worker.kill();
    throw error;
  }
  if (!running()) throw new Error(`worker exited with ${child.exitCode}:\n${output}`);
  return worker;
}

/** A request as it reached the sandbox, before any fault held it (the request log only lists answered ones). */
interface Arrival {
  method: string;
  url: string;
  /** The Graph version segment: which worker sent it. */
  version: string | undefined;
}

const CREATE = /\/graph-instagram\/v\d+\.\d+\/\d+\/media$/;
const STATUS_READ = /\/graph-instagram\/v\d+\.\d+\/\d+\?fields=status_code/;
const QUOTA_READ = /\/graph-instagram\/v\d+\.\d+\/\d+\/content_publishing_limit/;
const PUBLISH = /\/graph-instagram\/v\d+\.\d+\/\d+\/media_publish$/;

describe.skipIf(!onPostgres)(
  'publishing survives killed workers (PostgreSQL only: several processes cannot share the embedded database)',
  { timeout: RECOVERY_MS + 20_000 },
  () => {
    let emulator: RunningSandbox;
    let environment: Awaited<ReturnType<typeof processEnvironment>>;
    let database: DatabaseHandle;
    /** For what the schema does not cover: sessions, locks, pg-boss's jobs. */
    let admin: pg.Client;
    let databaseUrl: string;
    let web: ServerProcess;
    let workerEnv: Record<string, string>;
    /** Every worker started, dead or alive, in start order. */
    const workers: WorkerProcess[] = [];
    const arrivals: Arrival[] = [];
    let nextVersion = 61;
    let apiToken = '';
    let accountId = '';
    let mediaId = '';
    /** Every post this file created, for the whole-run check at the end. */
    const postIds: string[] = [];

    const addWorker = async () => {
      const worker = await startWorker(workerEnv, `v${nextVersion++}.0`);
      workers.push(worker);
      return worker;
    };
    const alive = () => workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);

    const api = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${web.baseUrl}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${apiToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, json: await response.json() };
    };
    const createPost = async (caption: string, scheduledAt?: Date): Promise<Post> => {
      const created = await api('POST', '/api/posts', {
        caption,
        mediaIds: [mediaId],
        targets: [{ accountId, kind: 'feed' }],
        scheduledAt: scheduledAt?.toISOString(),
      });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      postIds.push(created.json.id);
      return created.json as Post;
    };
    const targetRow = async (targetId: string) => {
      const [row] = await database.db.select().from(postTargets).where(eq(postTargets.id, targetId));
      if (!row) throw new Error(`target ${targetId} not found`);
      return row;
    };
    /** Waits until the post's target is published or failed; on a timeout, says where it and its jobs stand. */
    const settled = async (post: Post, timeoutMs = RECOVERY_MS) => {
      const targetId = post.targets[0]?.id ?? '';
      try {
        return await until(
          `post ${post.id} to be published or failed`,
          async () => {
            const current = (await api('GET', `/api/posts/${post.id}`)).json as Post;
            return current.targets.every((target) => ['published', 'failed'].includes(target.status))
              ? current
              : undefined;
          },
          timeoutMs,
        );
      } catch (error) {
        const jobs = await admin.query(
          'select state, retry_count, started_on, heartbeat_on, output from pgboss.job where singleton_key = $1 order by created_on',
          [targetId],
        );
        const row = await targetRow(targetId);
        const logs = workers.map(
          (worker) => `${worker.version}:\n${worker.output().split('\n').slice(-40).join('\n')}`,
        );
        throw new Error(
          `${(error as Error).message}: target ${JSON.stringify(row)}, jobs ${JSON.stringify(jobs.rows)}\n${logs.join('\n')}`,
        );
      }
    };
    const record = () => emulator.control.published().then((published) => published.instagram);
    const byCaption = async (caption: string) => {
      const { containers, media } = await record();
      return {
        containers: containers.filter((container) => container.caption === caption),
        media: media.filter((item) => item.caption === caption),
      };
    };

    /**
     * Holds the next request to `endpoint` for `holdMs`, creates a post, and waits until a request
     * matching `pattern` has reached the sandbox; returns the post, the request and its worker.
     */
    async function holdStep(endpoint: string, pattern: RegExp, holdMs: number, caption: string) {
      expect(alive()).toHaveLength(2);
      await emulator.control.queueFault(endpoint, { type: 'latency', ms: holdMs });
      const seen = arrivals.length;
      const post = await createPost(caption);
      const held = await until(
        `the ${endpoint} request to reach the sandbox`,
        () =>
          emulator.sandbox.faults.pending().length === 0
            ? arrivals.slice(seen).find((arrival) => pattern.test(arrival.url))
            : undefined,
        15_000,
      );
      const worker = alive().find((candidate) => candidate.version === held.version);
      if (!worker) throw new Error(`no live worker sent ${held.method} ${held.url}`);
      return { post, held, worker, seen };
    }

    /** Locks the target's row in an open transaction, so that the worker's next write to it waits. */
    async function lockTarget(targetId: string) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query('begin');
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      await client.query('select id from post_targets where id = $1 for update', [targetId]);
      const pid = rows[0]?.pid ?? 0;
      /** The sessions waiting for this lock. */
      const waiting = async () => {
        const { rows: blocked } = await admin.query<{ pid: number }>(
          'select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
          [pid],
        );
        return blocked.map((row) => row.pid);
      };
      return {
        waiting,
        /** Ends the waiting sessions (the killed worker's), then lets the row go. */
        async release() {
          const sessions = await waiting();
          await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [sessions]);
          // Gone before the lock is: a session still waiting would get the row and write it.
          await until('the waiting sessions to end', async () => {
            const { rows: left } = await admin.query('select pid from pg_stat_activity where pid = any($1::int[])', [
              sessions,
            ]);
            return left.length === 0;
          });
          await client.query('rollback');
          await client.end();
        },
      };
    }

    /** Kills the worker and starts its replacement, so that two are running again. */
    async function kill(worker: WorkerProcess, afterKill?: () => Promise<void>) {
      await worker.kill();
      await afterKill?.();
      await addWorker();
    }

    const publishCallsSince = (seen: number) => arrivals.slice(seen).filter((arrival) => PUBLISH.test(arrival.url));
    const confirmedBy = (targetId: string) =>
      alive().filter((worker) =>
        worker
          .output()
          .split('\n')
          .some((line) => line.includes('an interrupted publish call had gone through') && line.includes(targetId)),
      );

    beforeAll(async () => {
      emulator = await startSandbox();
      // Ahead of Fastify's own listener, which rewrites the URL without its version segment.
      emulator.server.server.prependListener('request', (request: IncomingMessage) => {
        const url = request.url ?? '';
        arrivals.push({ method: request.method ?? '', url, version: /\/(v\d+\.\d+)\//.exec(url)?.[1] });
      });
      environment = await processEnvironment();
      // The secrets are given, as in production, so that every process encrypts and decrypts alike.
      const env: Record<string, string> = {
        ...environment.env,
        ...instagramLoginEnv(emulator),
        TOKEN_ENCRYPTION_KEYS: `crash1:${randomBytes(32).toString('base64')}`,
        AUTH_SECRET: randomBytes(32).toString('base64url'),
      };
      databaseUrl = env.DATABASE_URL ?? '';
      // Workers serve no HTTP; the media URLs they hand to Instagram must point at the web process.
      const port = await freePort();
      const publicUrl = `http://localhost:${port}`;
      workerEnv = { ...env, PUBLIC_URL: publicUrl };
      [web] = await Promise.all([
        startServer({ ...env, ROLE: 'web', PORT: String(port), PUBLIC_URL: publicUrl }),
        addWorker(),
        addWorker(),
      ]);
      database = await openDatabase({ databaseUrl, dataDir: env.DATA_DIR ?? '', poolSize: 2 });
      admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();

      // Sign up, an API token, and @sam.makes.things through the sandbox's Instagram consent page.
      ({ apiToken, accountId } = await signUpAndConnect(web, 'crash@example.com'));

      const upload = new FormData();
      upload.append(
        'file',
        new Blob([new Uint8Array(await jpeg(1080, 1080, '#3a7dc0'))], { type: 'image/jpeg' }),
        'square.jpg',
      );
      const uploaded = await fetch(`${web.baseUrl}/api/media`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiToken}` },
        body: upload,
      });
      const body = (await uploaded.json()) as { id: string };
      expect(uploaded.status, JSON.stringify(body)).toBe(201);
      mediaId = body.id;
    });
    afterAll(async () => {
      await Promise.all(workers.map((worker) => worker.kill()));
      if (web?.child.exitCode === null) await web.stop('SIGKILL');
      await admin?.end();
      await database?.close();
      await environment?.cleanup();
      await emulator?.close();
    });

    it('killed after the container was created, while reading its status: another worker publishes that container once', async () => {
      const caption = 'crash: reading the container status';
      const { post, worker, seen } = await holdStep('graph.object', STATUS_READ, 3_000, caption);
      const created = arrivals.slice(seen).filter((arrival) => CREATE.test(arrival.url));
      expect(created.map((arrival) => arrival.version)).toEqual([worker.version]);
      await kill(worker);

      const done = await settled(post);
      expect(done.targets[0]).toMatchObject({ status: 'published', error: null });
      const row = await targetRow(done.targets[0]?.id ?? '');
      const { containers, media } = await byCaption(caption);
      expect(containers).toMatchObject([{ id: row.containerId, status: 'PUBLISHED' }]);
      expect(media).toMatchObject([{ containerId: row.containerId, id: row.remoteId }]);
      // The retry went on with the stored container: no second one was created.
      expect(arrivals.slice(seen).filter((arrival) => CREATE.test(arrival.url))).toHaveLength(1);
      expect(publishCallsSince(seen).map((arrival) => arrival.version)).not.toContain(worker.version);
    });

    it('killed after Instagram created the container, before its id was stored: the orphan is never published', async () => {
      const caption = 'crash: container id not stored';
      const { post, worker, seen } = await holdStep('ig.graph.media.create', CREATE, 1_500, caption);
      const targetId = post.targets[0]?.id ?? '';
      const lock = await lockTarget(targetId);
      // The container exists at Instagram, and the worker waits to store its id.
      await until('the container to be created', async () => (await byCaption(caption)).containers.length === 1);
      await until('the worker to wait for the row', async () => (await lock.waiting()).length > 0);
      await kill(worker, () => lock.release());
      expect((await targetRow(targetId)).containerId).toBeNull();

      const done = await settled(post);
      expect(done.targets[0]).toMatchObject({ status: 'published', error: null });
      const row = await targetRow(targetId);
      const { containers, media } = await byCaption(caption);
      expect(containers).toHaveLength(2);
      const orphan = containers.find((container) => container.id !== row.containerId);
      expect(orphan).toMatchObject({ status: 'FINISHED' });
      expect(containers.find((container) => container.id === row.containerId)).toMatchObject({ status: 'PUBLISHED' });
      expect(media).toMatchObject([{ containerId: row.containerId, id: row.remoteId }]);
      expect(publishCallsSince(seen)).toHaveLength(1);
    });

    it('killed after media_publish was sent, before Instagram acted on it: the retry publishes once', async () => {
      const caption = 'crash: media_publish sent, not done';
      const holdMs = 2_000;
      const { post, held, worker, seen } = await holdStep('ig.graph.media_publish', PUBLISH, holdMs, caption);
      const targetId = post.targets[0]?.id ?? '';
      await kill(worker);
      expect((await targetRow(targetId)).publishRequestedAt).not.toBeNull();
      // The held call's client is gone: once the hold is over, nothing was published.
      await new Promise((resolve) => setTimeout(resolve, holdMs + 500));
      expect((await byCaption(caption)).media).toEqual([]);

      const done = await settled(post);
      expect(done.targets[0]).toMatchObject({ status: 'published', error: null });
      const row = await targetRow(targetId);
      const { containers, media } = await byCaption(caption);
      expect(containers).toMatchObject([{ id: row.containerId, status: 'PUBLISHED' }]);
      expect(media).toMatchObject([{ containerId: row.containerId, id: row.remoteId }]);
      // The retry asked Instagram first (the container was not PUBLISHED), then published once more.
      const calls = publishCallsSince(seen);
      expect(calls).toHaveLength(2);
      expect(calls[0]).toBe(held);
      expect(calls[1]?.version).not.toBe(worker.version);
      expect(confirmedBy(targetId)).toEqual([]);
      expect(done.targets[0]?.permalink).toBe(media[0]?.permalink);
    });

    it('killed after media_publish went through, before its answer was stored: the retry confirms it and does not publish again', async () => {
      const caption = 'crash: media_publish done, answer lost';
      // The quota read comes right after publish_requested_at is committed and before media_publish.
      const { post, worker, seen } = await holdStep('ig.graph.content_publishing_limit', QUOTA_READ, 1_500, caption);
      const targetId = post.targets[0]?.id ?? '';
      expect((await targetRow(targetId)).publishRequestedAt).not.toBeNull();
      const lock = await lockTarget(targetId);
      // Instagram publishes, and the worker waits to store the answer.
      await until('the post to be published at Instagram', async () => (await byCaption(caption)).media.length === 1);
      await until('the worker to wait for the row', async () => (await lock.waiting()).length > 0);
      await kill(worker, () => lock.release());
      expect((await targetRow(targetId)).status).toBe('publishing');

      const done = await settled(post);
      expect(done.targets[0]).toMatchObject({ status: 'published', error: null });
      const row = await targetRow(targetId);
      const { containers, media } = await byCaption(caption);
      expect(containers).toMatchObject([{ id: row.containerId, status: 'PUBLISHED' }]);
      expect(media).toMatchObject([{ containerId: row.containerId }]);
      // The killed worker's call was the only media_publish: the retry found the container PUBLISHED.
      expect(publishCallsSince(seen).map((arrival) => arrival.version)).toEqual([worker.version]);
      expect(confirmedBy(targetId)).toHaveLength(1);
      // Instagram does not say which media a published container became: no id, no link.
      expect(row).toMatchObject({ remoteId: null, permalink: null });
    });

    it('killed after preparing a post ahead of its time: another worker publishes the prepared container at the time', async () => {
      const caption = 'crash: prepared ahead';
      const seen = arrivals.length;
      const scheduledAt = new Date(Date.now() + 15_000);
      const post = await createPost(caption, scheduledAt);
      const targetId = post.targets[0]?.id ?? '';
      const prepared = await until('the post to be prepared ahead', async () => {
        const row = await targetRow(targetId);
        return row.preparedAt ? row : undefined;
      });
      expect(prepared).toMatchObject({ status: 'scheduled', publishRequestedAt: null });
      const [create] = arrivals.slice(seen).filter((arrival) => CREATE.test(arrival.url));
      const worker = alive().find((candidate) => candidate.version === create?.version);
      if (!worker) throw new Error('no live worker prepared the post');
      await kill(worker, async () => expect(Date.now()).toBeLessThan(scheduledAt.getTime()));

      const done = await settled(post);
      expect(done.targets[0]).toMatchObject({ status: 'published', error: null });
      expect(Date.parse(done.targets[0]?.publishedAt ?? '')).toBeGreaterThanOrEqual(scheduledAt.getTime());
      const { containers, media } = await byCaption(caption);
      expect(containers).toMatchObject([{ id: prepared.containerId, status: 'PUBLISHED' }]);
      expect(media).toMatchObject([{ containerId: prepared.containerId }]);
      expect(arrivals.slice(seen).filter((arrival) => CREATE.test(arrival.url))).toHaveLength(1);
      expect(publishCallsSince(seen).map((arrival) => arrival.version)).not.toContain(worker.version);
    });

    it('ten posts at once on the two live workers: each published once', async () => {
      const seen = arrivals.length;
      // Each container creation takes 1.5 s, so the ten runs overlap. A worker fetches every due
      // job it can at once (up to 16), so which worker takes them is down to who polls first: the
      // posts may all go to one worker or be shared; either way each is published once.
      const count = 10;
      await emulator.control.queueFault('ig.graph.media.create', { type: 'latency', ms: 1_500 }, count);
      const posts = await Promise.all(Array.from({ length: count }, (_, index) => createPost(`concurrent ${index}`)));
      const done = await Promise.all(posts.map((post) => settled(post, 30_000)));
      const { media } = await record();
      for (const post of done) {
        expect(post.targets[0]).toMatchObject({ status: 'published', error: null });
        const row = await targetRow(post.targets[0]?.id ?? '');
        expect(media.filter((item) => item.caption === post.caption)).toMatchObject([
          { containerId: row.containerId, id: row.remoteId },
        ]);
      }
      const publishers = publishCallsSince(seen).map((arrival) => arrival.version);
      expect(publishers).toHaveLength(count);
      const live = alive().map((worker) => worker.version);
      for (const version of publishers) expect(live).toContain(version);
    });

    it('over the whole run: every target published once or failed with a reason, told once, nothing else published', async () => {
      const targets = await database.db.select().from(postTargets).where(inArray(postTargets.postId, postIds));
      expect(targets).toHaveLength(postIds.length);
      const { containers, media } = await record();
      const publishedContainers = media.map((item) => item.containerId);
      expect(new Set(publishedContainers).size).toBe(publishedContainers.length);
      expect(containers.filter((container) => container.status === 'PUBLISHED')).toHaveLength(media.length);
      for (const target of targets) {
        if (target.status === 'failed') {
          expect(target.errorCode).toBeTruthy();
          expect(target.errorMessage).toBeTruthy();
          expect(publishedContainers).not.toContain(target.containerId);
          continue;
        }
        expect(target.status).toBe('published');
        expect(publishedContainers.filter((id) => id === target.containerId)).toHaveLength(1);
      }
      // Each outcome is written with its notification: killed workers neither lost nor doubled one.
      const told = await database.db
        .select({ postId: notifications.postId, kind: notifications.kind })
        .from(notifications)
        .where(inArray(notifications.postId, postIds));
      expect(told.toSorted((a, b) => (a.postId ?? '').localeCompare(b.postId ?? ''))).toEqual(
        targets
          .map((target) => ({ postId: target.postId, kind: `post.${target.status}` }))
          .toSorted((a, b) => a.postId.localeCompare(b.postId)),
      );
      const targetContainers = new Set(targets.map((target) => target.containerId));
      expect(publishedContainers.filter((id) => !targetContainers.has(id))).toEqual([]);
      // Five workers were killed on the way, each replaced.
      expect(workers).toHaveLength(7);
      expect(alive()).toHaveLength(2);
    });
  },
);
