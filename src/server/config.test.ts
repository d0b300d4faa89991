import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProviders } from '../providers/registry.ts';
import { ConfigError, DEV_SECRETS_FILE, loadConfig, parseEncryptionKeys } from './config.ts';
import { Secret } from './vault/secret.ts';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-config-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('runs on defaults: port 3000, sandbox on, secrets generated once into DATA_DIR', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first.config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      role: 'all',
      sandbox: true,
      publishPrepareAheadMs: 30 * 60_000,
    });
    expect(first.config.databaseUrl).toBeUndefined();
    expect(first.generatedSecrets).toEqual(['TOKEN_ENCRYPTION_KEYS', 'AUTH_SECRET']);
    const file = path.join(dataDir, DEV_SECRETS_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.generatedSecrets).toEqual([]);
    expect(second.config.authSecret).toBe(first.config.authSecret);
    expect(
      second.config.tokenEncryptionKeys[0]?.key.equals(first.config.tokenEncryptionKeys[0]?.key ?? Buffer.alloc(0)),
    ).toBe(true);
  });

  it('refuses to start in production without TOKEN_ENCRYPTION_KEYS, naming the variable', () => {
    const dataDir = tempDir();
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, AUTH_SECRET: 'x'.repeat(40) })).toThrow(
      /TOKEN_ENCRYPTION_KEYS must be set when NODE_ENV=production/,
    );
    expect(fs.existsSync(path.join(dataDir, DEV_SECRETS_FILE))).toBe(false);
  });

  it('uses the secrets it is given in production', () => {
    const { config, generatedSecrets } = loadConfig({
      NODE_ENV: 'production',
      DATA_DIR: tempDir(),
      TOKEN_ENCRYPTION_KEYS: `k2:${key(2)},k1:${key(1)}`,
      AUTH_SECRET: 'y'.repeat(40),
    });
    expect(generatedSecrets).toEqual([]);
    expect(config.tokenEncryptionKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT: /],
    [{ PUBLIC_URL: 'ftp://example.com' }, /PUBLIC_URL/],
    [{ ROLE: 'boss' }, /ROLE/],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL: expected a postgres/],
    [{ TOKEN_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' }, /TOKEN_ENCRYPTION_KEYS: key "k1" must be 32 bytes/],
    [{ AUTH_SECRET: 'short' }, /AUTH_SECRET: must be at least 32 characters/],
    [{ SANDBOX: 'maybe' }, /SANDBOX: expected true or false/],
    [{ LINKEDIN_VERSION: '2025-10' }, /LINKEDIN_VERSION: expected YYYYMM/],
    [{ LINKEDIN_SCOPES: 'email w_member_social' }, /LINKEDIN_SCOPES: must include openid and profile/],
    [{ PUBLISH_PREPARE_AHEAD_MINUTES: '1440' }, /PUBLISH_PREPARE_AHEAD_MINUTES: at most 720/],
    [{ PUBLISH_PREPARE_AHEAD_MINUTES: '-5' }, /PUBLISH_PREPARE_AHEAD_MINUTES: /],
  ])('names the bad variable in one line: %o', (env, message) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: tempDir(), ...env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('reads LINKEDIN_SCOPES separated by spaces or commas, defaulting to sign-in and member posting', () => {
    const dataDir = tempDir();
    const linkedinApp = { LINKEDIN_CLIENT_ID: 'id', LINKEDIN_CLIENT_SECRET: 'secret' };
    expect(loadConfig({ DATA_DIR: dataDir, ...linkedinApp }).config.linkedin.scopes).toEqual([
      'openid',
      'profile',
      'email',
      'w_member_social',
    ]);
    // The sandbox's app may post as organizations too.
    expect(loadConfig({ DATA_DIR: dataDir }).config.linkedin.scopes).toEqual([
      'openid',
      'profile',
      'email',
      'w_member_social',
      'w_organization_social',
      'r_organization_social',
    ]);
    expect(
      loadConfig({ DATA_DIR: dataDir, LINKEDIN_SCOPES: 'openid, profile  w_member_social,openid' }).config.linkedin
        .scopes,
    ).toEqual(['openid', 'profile', 'w_member_social']);
  });

  it('gives LinkedIn organizations their own Community Management app when LINKEDIN_ORG_CLIENT_ID is set', () => {
    const dataDir = tempDir();
    const members = { LINKEDIN_CLIENT_ID: 'members', LINKEDIN_CLIENT_SECRET: 'members-secret' };
    const organizations = { LINKEDIN_ORG_CLIENT_ID: 'orgs', LINKEDIN_ORG_CLIENT_SECRET: 'orgs-secret' };
    const providerIds = (env: Record<string, string>) =>
      Object.keys(createProviders(loadConfig({ DATA_DIR: dataDir, ...env }).config, { fetch, now: Date.now })).sort();

    const own = loadConfig({ DATA_DIR: dataDir, ...members, ...organizations }).config;
    expect(own.sandbox).toBe(false);
    expect(own.linkedin.organizationApp).toEqual({
      clientId: 'orgs',
      clientSecret: 'orgs-secret',
      scopes: ['w_organization_social', 'r_organization_social'],
    });
    expect(providerIds({ ...members, ...organizations })).toEqual(['linkedin', 'linkedin_org']);
    expect(providerIds(organizations)).toEqual(['linkedin_org']);
    // One app for both: organizations only when its one scope list has their scopes.
    expect(providerIds(members)).toEqual(['linkedin']);
    expect(
      providerIds({
        ...members,
        LINKEDIN_SCOPES: 'openid profile w_member_social w_organization_social r_organization_social',
      }),
    ).toEqual(['linkedin', 'linkedin_org']);
  });

  it('turns sandbox mode off once a provider is configured, unless SANDBOX says otherwise', () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir, FACEBOOK_APP_ID: '123' }).config.sandbox).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir, FACEBOOK_APP_ID: '123', SANDBOX: 'true' }).config.sandbox).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir, SANDBOX: 'off' }).config.sandbox).toBe(false);
  });

  it('points every provider at the mounted sandbox, with its app credentials, in sandbox mode', () => {
    const { config } = loadConfig({
      DATA_DIR: tempDir(),
      PUBLIC_URL: 'https://tether.example',
      FACEBOOK_GRAPH_URL: 'https://ignored',
    });
    expect(config.sandbox).toBe(true);
    expect(config.facebook).toMatchObject({
      appId: '1000000000000001',
      graphUrl: 'https://tether.example/sandbox/graph-facebook',
      wwwUrl: 'https://tether.example/sandbox/facebook-www',
    });
    expect(config.instagram.apiUrl).toBe('https://tether.example/sandbox/api-instagram');
    expect(config.linkedin).toMatchObject({
      apiUrl: 'https://tether.example/sandbox/linkedin-api',
      clientSecret: expect.any(String),
    });

    const real = loadConfig({ DATA_DIR: tempDir(), LINKEDIN_CLIENT_ID: 'li', LINKEDIN_CLIENT_SECRET: 's' }).config;
    expect(real.linkedin).toMatchObject({ clientId: 'li', apiUrl: 'https://api.linkedin.com' });
    expect(real.facebook.appId).toBeUndefined();
  });

  it('gives up on platform calls after PLATFORM_TIMEOUT_MS, in every provider', async () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).config.platformTimeoutMs).toBe(30_000);
    expect(() => loadConfig({ DATA_DIR: tempDir(), PLATFORM_TIMEOUT_MS: '5' })).toThrow(/PLATFORM_TIMEOUT_MS/);
    const { config } = loadConfig({ DATA_DIR: tempDir(), PLATFORM_TIMEOUT_MS: '150' });
    // A platform that never answers: only the caller's signal ends the call.
    const hanging = (_input: string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    const providers = createProviders(config, { fetch: hanging, now: Date.now, timeoutMs: config.platformTimeoutMs });
    expect(Object.keys(providers).length).toBeGreaterThan(0);
    for (const provider of Object.values(providers)) {
      const started = Date.now();
      await expect(provider.inspect(new Secret('token'))).rejects.toMatchObject({
        kind: 'transient',
        reason: 'timeout',
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  it('derives PUBLIC_URL from PORT and trims trailing slashes from URLs', () => {
    const { config } = loadConfig({
      DATA_DIR: tempDir(),
      PORT: '8080',
      SANDBOX: 'false',
      FACEBOOK_GRAPH_URL: 'http://127.0.0.1:9/graph/',
    });
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.facebook.graphUrl).toBe('http://127.0.0.1:9/graph');
  });

  it('throttles Meta calls above 80 % by default and takes META_THROTTLE_PERCENT from 1 to 100 only', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).config.metaThrottlePercent).toBe(80);
    expect(loadConfig({ DATA_DIR: tempDir(), META_THROTTLE_PERCENT: '100' }).config.metaThrottlePercent).toBe(100);
    for (const value of ['0', '101', '75.5', 'most'])
      expect(() => loadConfig({ DATA_DIR: tempDir(), META_THROTTLE_PERCENT: value })).toThrow(/META_THROTTLE_PERCENT/);
  });
});

describe('parseEncryptionKeys', () => {
  it('rejects malformed, duplicate and empty key lists', () => {
    expect(() => parseEncryptionKeys(`nokey`)).toThrow(/id:base64key/);
    expect(() => parseEncryptionKeys(`a:${key(1)},a:${key(2)}`)).toThrow(/unique/);
    expect(() => parseEncryptionKeys(' , ')).toThrow(/at least one/);
    expect(parseEncryptionKeys(`a:${key(1)}, b:${key(2)}`).map((k) => k.id)).toEqual(['a', 'b']);
  });
});
