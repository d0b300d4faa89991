import { text } from 'node:stream/consumers';
import { Command, CommanderError } from 'commander';
import { desc, eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { API_SCOPES } from '../contracts/api-scopes.ts';
import { createApiTokenBody } from '../contracts/api-tokens.ts';
import { ConfigError } from '../server/config.ts';
import { DataDirLockedError } from '../server/db/data-dir-lock.ts';
import { connectedAccounts, user } from '../server/db/schema/index.ts';
import { jobs } from '../server/jobs/registry.ts';
import { listAdmins, setAdmin } from '../server/services/admins.ts';
import { createApiToken } from '../server/services/api-tokens.ts';
import { ROTATION_BATCH_SIZE } from '../server/vault/vault.ts';
import { withContext } from './context.ts';
import { printJson, printRows } from './output.ts';

/** An error the person at the terminal can act on; printed without a stack trace. */
class CliError extends Error {}

const program = new Command('tether')
  .description('Tether admin CLI. Uses the same configuration (DATA_DIR, DATABASE_URL...) as the server.')
  .option('--json', 'machine-readable output')
  .showHelpAfterError()
  .exitOverride();

const json = () => Boolean(program.opts().json);

const users = program.command('users').description('app users');
users
  .command('create')
  .description('create a user with email and password (reads the password from stdin when --password is omitted)')
  .requiredOption('--email <email>', 'email address')
  .option('--password <password>', 'password (at least 10 characters)')
  .option('--name <name>', 'display name (defaults to the part of the email before @)')
  .action(async (options: { email: string; password?: string; name?: string }) => {
    const password = options.password ?? (await text(process.stdin)).trim();
    const name = options.name ?? options.email.split('@')[0] ?? options.email;
    const created = await withContext(async ({ auth }) => {
      try {
        const result = await auth.api.signUpEmail({ body: { email: options.email, password, name } });
        return result.user;
      } catch (error) {
        throw new CliError((error as Error).message);
      }
    });
    if (json()) printJson({ id: created.id, email: created.email, name: created.name });
    else process.stdout.write(`created user ${created.email} (${created.id})\n`);
  });

const admins = program.command('admin').description('who may use the admin area');
admins
  .command('grant')
  .description('make a user admin')
  .argument('<email>', 'the user')
  .action((email: string) => changeAdmin(email, true));
admins
  .command('revoke')
  .description('take admin away from a user')
  .argument('<email>', 'the user')
  .action((email: string) => changeAdmin(email, false));
admins
  .command('list')
  .description('list admins')
  .action(async () => {
    const rows = await withContext(({ database }) => listAdmins(database.db));
    printRows(rows, { json: json(), empty: 'no admins' });
  });

async function changeAdmin(email: string, admin: boolean) {
  const changed = await withContext(({ database }) => setAdmin(database.db, email, admin));
  if (!changed) throw new CliError(`no user with email ${email}`);
  if (json()) printJson(changed);
  else process.stdout.write(`${changed.email} is ${admin ? 'now an admin' : 'no longer an admin'}\n`);
}

const tokens = program.command('tokens').description('personal API tokens');
tokens
  .command('create')
  .description('create an API token for a user; prints only the token')
  .requiredOption('--email <email>', 'the user the token acts as')
  .option('--name <name>', 'a name to recognise the token by', 'cli')
  .option('--scope <scope...>', `what the token may do (${API_SCOPES.join(', ')}); every scope when left out`)
  .action(async (options: { email: string; name: string; scope?: string[] }) => {
    const body = createApiTokenBody.safeParse({ name: options.name, scopes: options.scope });
    if (!body.success) {
      const issue = body.error.issues[0];
      throw new CliError(`${issue?.path[0] === 'scopes' ? '--scope' : '--name'}: ${issue?.message}`);
    }
    const created = await withContext(async ({ database }) => {
      const [owner] = await database.db
        .select({ id: user.id })
        .from(user)
        .where(eq(user.email, options.email.toLowerCase()));
      if (!owner) throw new CliError(`no user with email ${options.email}`);
      return createApiToken(database.db, { userId: owner.id, ...body.data });
    });
    if (json()) printJson(created);
    else process.stdout.write(`${created.secret}\n`);
  });

const accounts = program.command('accounts').description('connected social accounts');
accounts
  .command('list')
  .description('list connected accounts of every user (or of one with --email)')
  .option('--email <email>', 'only this user')
  .action(async (options: { email?: string }) => {
    const rows = await withContext(({ database }) =>
      database.db
        .select({
          id: connectedAccounts.id,
          user: user.email,
          provider: connectedAccounts.provider,
          username: connectedAccounts.username,
          status: connectedAccounts.status,
          tokenExpiresAt: connectedAccounts.tokenExpiresAt,
        })
        .from(connectedAccounts)
        .innerJoin(user, eq(user.id, connectedAccounts.userId))
        .where(options.email ? eq(user.email, options.email.toLowerCase()) : undefined)
        .orderBy(desc(connectedAccounts.createdAt)),
    );
    printRows(rows, { json: json(), empty: 'no connected accounts' });
  });

const keys = program.command('keys').description('token encryption keys (TOKEN_ENCRYPTION_KEYS)');
keys
  .command('rotate')
  .description('re-encrypt every stored credential with the first key; safe while the app runs, resumable')
  .option('--batch-size <n>', 'credentials per transaction', String(ROTATION_BATCH_SIZE))
  .action(async (options: { batchSize: string }) => {
    const batchSize = Number(options.batchSize);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new CliError('--batch-size: expected a positive integer');
    const result = await withContext(async ({ database, vault }) => {
      const rotation = await vault.rotate(database.db, { batchSize });
      return { currentKeyId: vault.currentKeyId, ...rotation, keys: await vault.keyUsage(database.db) };
    });
    if (json()) printJson(result);
    else {
      process.stdout.write(`re-encrypted ${result.reencrypted} credentials with key "${result.currentKeyId}"\n`);
      for (const row of result.unreadable) {
        process.stdout.write(`could not read ${row.kind} of account ${row.accountId}: ${row.reason}\n`);
      }
      printRows(result.keys, { json: false, empty: 'no stored credentials' });
    }
    if (result.unreadable.length > 0) process.exitCode = 1;
  });
keys
  .command('status')
  .description('how many credentials each key encrypts')
  .action(async () => {
    const rows = await withContext(({ database, vault }) => vault.keyUsage(database.db));
    printRows(rows, { json: json(), empty: 'no stored credentials' });
  });

const jobsCommand = program.command('jobs').description('background jobs');
jobsCommand
  .command('list')
  .description('list job queues with their counts')
  .action(async () => {
    const rows = await withContext(async ({ database }) => {
      const boss = new PgBoss({ ...database.bossOptions, supervise: false, schedule: false });
      boss.on('error', () => {});
      await boss.start();
      try {
        const queues = await boss.getQueues(jobs.map((job) => job.name));
        return queues.map((queue) => ({
          queue: queue.name,
          ready: queue.readyCount,
          deferred: queue.deferredCount,
          active: queue.activeCount,
          failed: queue.failedCount,
          total: queue.totalCount,
        }));
      } finally {
        await boss.stop({ graceful: false, close: true });
      }
    });
    printRows(rows, { json: json(), empty: 'no queues yet: start the server once' });
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const known = error instanceof CliError || error instanceof ConfigError || error instanceof DataDirLockedError;
  const message = known ? (error as Error).message : `unexpected error: ${(error as Error).message}`;
  if (json()) process.stderr.write(`${JSON.stringify({ error: { message } })}\n`);
  else process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
