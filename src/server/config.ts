import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_APPS, type SandboxApp } from '../sandbox/core/apps.ts';
import { sandboxUrls } from '../sandbox/core/hosts.ts';

/** Where Tether's server mounts the provider sandbox in sandbox mode. */
export const SANDBOX_MOUNT_PATH = '/sandbox';

/**
 * The only reader of `process.env`. Every setting Tether understands is declared here once;
 * `docs/configuration.md` and the README table describe the same variables.
 */

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const url = (fallback: string) => z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).default(fallback));
const flag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'], {
      error: 'expected true or false',
    })
    .transform((value) => ['true', '1', 'on', 'yes'].includes(value))
    .optional(),
);

/** Uploads larger than these are refused (413); images are converted, so they may exceed Instagram's 8 MB. */
const DEFAULT_MAX_IMAGE_BYTES = 30 * 1024 * 1024;
/** Instagram's largest video (a reel) is 300 MB. */
const DEFAULT_MAX_VIDEO_BYTES = 300 * 1024 * 1024;

/**
 * How long before its time a scheduled post's uploads are prepared (Instagram containers created
 * and processed), so that only the publish call is left at the scheduled time. Instagram keeps an
 * unpublished upload for 24 hours; the longest lead stays well inside that.
 */
const DEFAULT_PREPARE_AHEAD_MINUTES = 30;
const MAX_PREPARE_AHEAD_MINUTES = 720;

/**
 * What Tether asks LinkedIn for: sign-in (OpenID Connect) and posting as the member. LinkedIn
 * keeps one grant per member and app and cancels a member's earlier tokens when the app asks for
 * a different scope set (reference §8.1), so members and organizations share this one list.
 */
export const DEFAULT_LINKEDIN_SCOPES = 'openid profile email w_member_social';
/**
 * Posting as the organizations a member administers (Community Management API). LinkedIn wants that
 * product alone on its app, so organizations normally have an app of their own
 * (LINKEDIN_ORG_CLIENT_ID); an app with both products uses one list for both.
 */
export const LINKEDIN_ORG_SCOPES = 'w_organization_social r_organization_social';
/** Tether identifies the member from OpenID Connect `userinfo`, which needs these two. */
const LINKEDIN_IDENTITY_SCOPES = ['openid', 'profile'];
/**
 * The `LinkedIn-Version` sent by default: the newest month the platform reference confirms, which
 * LinkedIn serves until at least 2027-07 (each version lives about a year).
 */
export const DEFAULT_LINKEDIN_VERSION = '202607';

/** A space- or comma-separated scope list, each scope once. */
const scopeList = (value: string) => [...new Set(value.split(/[\s,]+/).filter(Boolean))];

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const AES_256_KEY_BYTES = 32;
export const AUTH_SECRET_MIN_LENGTH = 32;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** `id:base64key,id:base64key`: the first key encrypts, every key decrypts. */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const keys = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const separator = entry.indexOf(':');
      const id = entry.slice(0, separator);
      const key = Buffer.from(entry.slice(separator + 1), 'base64');
      if (separator < 1 || !KEY_ID.test(id)) {
        throw new Error('each key must look like id:base64key, with an id of letters, digits, _ or -');
      }
      if (key.length !== AES_256_KEY_BYTES) {
        throw new Error(`key "${id}" must be ${AES_256_KEY_BYTES} bytes of base64 (openssl rand -base64 32)`);
      }
      return { id, key };
    });
  if (keys.length === 0) throw new Error('at least one key is required');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('key ids must be unique');
  return keys;
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// connection string')
      .optional(),
  ),
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  MEDIA_MAX_IMAGE_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_IMAGE_BYTES),
  MEDIA_MAX_VIDEO_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_VIDEO_BYTES),
  PUBLISH_PREPARE_AHEAD_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_PREPARE_AHEAD_MINUTES, `at most ${MAX_PREPARE_AHEAD_MINUTES} (Instagram discards uploads after 24 hours)`)
    .default(DEFAULT_PREPARE_AHEAD_MINUTES),
  TOKEN_ENCRYPTION_KEYS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value, ctx) => {
        try {
          return parseEncryptionKeys(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
  ),
  AUTH_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(AUTH_SECRET_MIN_LENGTH, `must be at least ${AUTH_SECRET_MIN_LENGTH} characters`).optional(),
  ),
  SANDBOX: flag,
  META_WEBHOOK_VERIFY_TOKEN: optionalString,
  METRICS_TOKEN: optionalString,
  META_THROTTLE_PERCENT: z.coerce.number().int().min(1).max(100).default(80),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: flag,
  PLATFORM_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  FACEBOOK_APP_ID: optionalString,
  FACEBOOK_APP_SECRET: optionalString,
  FACEBOOK_CONFIG_ID: optionalString,
  FACEBOOK_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'expected a version like v25.0')
    .default('v25.0'),
  FACEBOOK_GRAPH_URL: url('https://graph.facebook.com'),
  FACEBOOK_WWW_URL: url('https://www.facebook.com'),
  INSTAGRAM_APP_ID: optionalString,
  INSTAGRAM_APP_SECRET: optionalString,
  INSTAGRAM_GRAPH_URL: url('https://graph.instagram.com'),
  INSTAGRAM_API_URL: url('https://api.instagram.com'),
  INSTAGRAM_WWW_URL: url('https://www.instagram.com'),
  LINKEDIN_CLIENT_ID: optionalString,
  LINKEDIN_CLIENT_SECRET: optionalString,
  LINKEDIN_VERSION: z
    .string()
    .regex(/^\d{6}$/, `expected YYYYMM, e.g. ${DEFAULT_LINKEDIN_VERSION}`)
    .default(DEFAULT_LINKEDIN_VERSION),
  LINKEDIN_SCOPES: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform(scopeList)
      .refine((scopes) => LINKEDIN_IDENTITY_SCOPES.every((scope) => scopes.includes(scope)), {
        error: `must include ${LINKEDIN_IDENTITY_SCOPES.join(' and ')}`,
      })
      .optional(),
  ),
  LINKEDIN_ORG_CLIENT_ID: optionalString,
  LINKEDIN_ORG_CLIENT_SECRET: optionalString,
  LINKEDIN_ORG_SCOPES: z.preprocess(emptyAsUndefined, z.string().transform(scopeList).optional()),
  LINKEDIN_API_URL: url('https://api.linkedin.com'),
  LINKEDIN_WWW_URL: url('https://www.linkedin.com'),
});

type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  logLevel: Env['LOG_LEVEL'];
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  role: Env['ROLE'];
  /** Largest accepted upload per kind, in bytes. */
  media: { maxImageBytes: number; maxVideoBytes: number };
  /** How long before a post's time its uploads are prepared, where the platform allows (0: at the time). */
  publishPrepareAheadMs: number;
  tokenEncryptionKeys: EncryptionKey[];
  authSecret: string;
  sandbox: boolean;
  /** The token Meta echoes in the webhook verification handshake; webhooks are off without it. */
  metaWebhookVerifyToken: string | undefined;
  /** The bearer token `GET /metrics` asks for; the endpoint answers 404 without it. */
  metricsToken: string | undefined;
  /** Above this share of a Meta rate limit (app or account), calls are slowed down; 100 slows down only when Meta says. */
  metaThrottlePercent: number;
  /** Whether outgoing webhooks may go to private and loopback addresses (SSRF); off in production. */
  webhookPrivateTargets: boolean;
  /** How long one call to a platform API may take before it is abandoned as a timeout (retried). */
  platformTimeoutMs: number;
  facebook: {
    appId: string | undefined;
    appSecret: string | undefined;
    configId: string | undefined;
    graphVersion: string;
    graphUrl: string;
    wwwUrl: string;
  };
  instagram: {
    appId: string | undefined;
    appSecret: string | undefined;
    graphUrl: string;
    apiUrl: string;
    wwwUrl: string;
  };
  linkedin: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    version: string;
    /** Requested from every member, all or nothing; changing them makes LinkedIn ask again (reference §8.1). */
    scopes: string[];
    /** The Community Management app for organizations, when they have their own; else they share the app above. */
    organizationApp: { clientId: string; clientSecret: string; scopes: string[] } | undefined;
    apiUrl: string;
    wwwUrl: string;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const trimSlash = (value: string) => value.replace(/\/+$/, '');

type ProviderConfig = Pick<Config, 'facebook' | 'instagram' | 'linkedin'>;

function realProviders(env: Env): ProviderConfig {
  return {
    facebook: {
      appId: env.FACEBOOK_APP_ID,
      appSecret: env.FACEBOOK_APP_SECRET,
      configId: env.FACEBOOK_CONFIG_ID,
      graphVersion: env.FACEBOOK_GRAPH_VERSION,
      graphUrl: trimSlash(env.FACEBOOK_GRAPH_URL),
      wwwUrl: trimSlash(env.FACEBOOK_WWW_URL),
    },
    instagram: {
      appId: env.INSTAGRAM_APP_ID,
      appSecret: env.INSTAGRAM_APP_SECRET,
      graphUrl: trimSlash(env.INSTAGRAM_GRAPH_URL),
      apiUrl: trimSlash(env.INSTAGRAM_API_URL),
      wwwUrl: trimSlash(env.INSTAGRAM_WWW_URL),
    },
    linkedin: {
      clientId: env.LINKEDIN_CLIENT_ID,
      clientSecret: env.LINKEDIN_CLIENT_SECRET,
      version: env.LINKEDIN_VERSION,
      scopes: env.LINKEDIN_SCOPES ?? scopeList(DEFAULT_LINKEDIN_SCOPES),
      organizationApp:
        env.LINKEDIN_ORG_CLIENT_ID && env.LINKEDIN_ORG_CLIENT_SECRET
          ? {
              clientId: env.LINKEDIN_ORG_CLIENT_ID,
              clientSecret: env.LINKEDIN_ORG_CLIENT_SECRET,
              scopes: env.LINKEDIN_ORG_SCOPES ?? scopeList(LINKEDIN_ORG_SCOPES),
            }
          : undefined,
      apiUrl: trimSlash(env.LINKEDIN_API_URL),
      wwwUrl: trimSlash(env.LINKEDIN_WWW_URL),
    },
  };
}

/**
 * Sandbox mode: every provider talks to the emulator mounted at PUBLIC_URL/sandbox, with the
 * sandbox's own app credentials, whatever provider variables are set.
 */
function sandboxProviders(publicUrl: string, env: Env): ProviderConfig {
  const urls = sandboxUrls(`${publicUrl}${SANDBOX_MOUNT_PATH}`);
  const app = (platform: SandboxApp['platform']) => {
    const found = DEFAULT_APPS.find((candidate) => candidate.platform === platform);
    if (!found) throw new Error(`no sandbox app for ${platform}`);
    return found;
  };
  return {
    facebook: {
      appId: app('facebook').id,
      appSecret: app('facebook').secret,
      configId: undefined,
      graphVersion: env.FACEBOOK_GRAPH_VERSION,
      graphUrl: urls.facebookGraph,
      wwwUrl: urls.facebookWww,
    },
    instagram: {
      appId: app('instagram').id,
      appSecret: app('instagram').secret,
      graphUrl: urls.instagramGraph,
      apiUrl: urls.instagramApi,
      wwwUrl: urls.instagramWww,
    },
    linkedin: {
      clientId: app('linkedin').id,
      clientSecret: app('linkedin').secret,
      version: env.LINKEDIN_VERSION,
      // The sandbox's app has the Community Management API: members and organizations both work.
      scopes: env.LINKEDIN_SCOPES ?? scopeList(`${DEFAULT_LINKEDIN_SCOPES} ${LINKEDIN_ORG_SCOPES}`),
      organizationApp: undefined,
      apiUrl: urls.linkedinApi,
      wwwUrl: urls.linkedinWww,
    },
  };
}

export const DEV_SECRETS_FILE = 'secrets.json';

const devSecretsSchema = z.object({ TOKEN_ENCRYPTION_KEYS: z.string(), AUTH_SECRET: z.string() });

/**
 * Outside production, secrets that are not set are generated once into DATA_DIR/secrets.json
 * (mode 0600) and reused on every start, so encrypted tokens and sessions survive restarts.
 */
function readOrCreateDevSecrets(dataDir: string): { values: z.infer<typeof devSecretsSchema>; created: boolean } {
  const file = path.join(dataDir, DEV_SECRETS_FILE);
  if (fs.existsSync(file)) {
    const values = devSecretsSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!values.success) throw new ConfigError(`Invalid configuration: ${file} is damaged; delete it to regenerate`);
    return { values: values.data, created: false };
  }
  const values = {
    TOKEN_ENCRYPTION_KEYS: `dev1:${randomBytes(AES_256_KEY_BYTES).toString('base64')}`,
    AUTH_SECRET: randomBytes(AUTH_SECRET_MIN_LENGTH).toString('base64url'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { values, created: true };
}

export interface LoadedConfig {
  config: Config;
  /** Names of the secrets generated into DATA_DIR by this call, for a log line at start. */
  generatedSecrets: string[];
}

/** Parses the environment once; throws a ConfigError whose message names every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (production) {
    const missing = (['TOKEN_ENCRYPTION_KEYS', 'AUTH_SECRET'] as const).filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration: ${missing.join(', ')} must be set when NODE_ENV=production (see docs/configuration.md)`,
      );
    }
  }
  const dataDir = path.resolve(env.DATA_DIR);
  let tokenEncryptionKeys = env.TOKEN_ENCRYPTION_KEYS;
  let authSecret = env.AUTH_SECRET;
  const generatedSecrets: string[] = [];
  if (!tokenEncryptionKeys || !authSecret) {
    const dev = readOrCreateDevSecrets(dataDir);
    tokenEncryptionKeys ??= parseEncryptionKeys(dev.values.TOKEN_ENCRYPTION_KEYS);
    authSecret ??= dev.values.AUTH_SECRET;
    if (dev.created)
      generatedSecrets.push(...(['TOKEN_ENCRYPTION_KEYS', 'AUTH_SECRET'] as const).filter((name) => !env[name]));
  }
  const anyProviderConfigured = Boolean(
    env.FACEBOOK_APP_ID || env.INSTAGRAM_APP_ID || env.LINKEDIN_CLIENT_ID || env.LINKEDIN_ORG_CLIENT_ID,
  );
  const publicUrl = trimSlash(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`);
  const sandbox = env.SANDBOX ?? !anyProviderConfigured;
  const providers = sandbox ? sandboxProviders(publicUrl, env) : realProviders(env);
  const config: Config = {
    env: env.NODE_ENV,
    production,
    logLevel: env.LOG_LEVEL,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    role: env.ROLE,
    media: { maxImageBytes: env.MEDIA_MAX_IMAGE_BYTES, maxVideoBytes: env.MEDIA_MAX_VIDEO_BYTES },
    publishPrepareAheadMs: env.PUBLISH_PREPARE_AHEAD_MINUTES * 60_000,
    tokenEncryptionKeys,
    authSecret,
    sandbox,
    metaWebhookVerifyToken: env.META_WEBHOOK_VERIFY_TOKEN,
    metricsToken: env.METRICS_TOKEN,
    metaThrottlePercent: env.META_THROTTLE_PERCENT,
    webhookPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? env.NODE_ENV !== 'production',
    platformTimeoutMs: env.PLATFORM_TIMEOUT_MS,
    ...providers,
  };
  return { config, generatedSecrets };
}
