import { loadConfig } from '../server/config.ts';
import { type DatabaseHandle, openDatabase } from '../server/db/client.ts';
import { createLogger } from '../server/logger.ts';
import { type Auth, createAuth } from '../server/plugins/auth.ts';
import { Keyring } from '../server/vault/keyring.ts';
import { Vault } from '../server/vault/vault.ts';

export interface CliContext {
  database: DatabaseHandle;
  auth: Auth;
  vault: Vault;
}

/** Opens the configured database (migrating it if needed) for one command, and always closes it. */
export async function withContext<T>(run: (context: CliContext) => Promise<T>): Promise<T> {
  const { config } = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await database.migrate();
    return await run({
      database,
      auth: createAuth({ db: database.db, config, logger: createLogger('silent') }),
      vault: new Vault(new Keyring(config.tokenEncryptionKeys)),
    });
  } finally {
    await database.close();
  }
}
