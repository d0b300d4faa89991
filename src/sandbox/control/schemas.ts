import { z } from 'zod';
import { RANDOM_FAULT_KINDS } from '../core/faults.ts';

const revocationSubcode = z.union([
  z.literal(458),
  z.literal(459),
  z.literal(460),
  z.literal(463),
  z.literal(464),
  z.literal(467),
  z.literal(492),
]);

const fault = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('response'),
    status: z.number().int().min(100).max(599),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.object({ type: z.literal('timeout') }),
  z.object({ type: z.literal('latency'), ms: z.number().int().min(0).max(60_000) }),
]);

const app = z.object({
  id: z.string().min(1),
  secret: z.string().min(1),
  platform: z.enum(['facebook', 'instagram', 'linkedin']),
  name: z.string().default('Sandbox app'),
  redirectUris: z.array(z.url()).default([]),
  requireAppSecretProof: z.boolean().default(false),
  programmaticRefresh: z.boolean().default(false),
});

/** Parses a control request; a bad one becomes a 400 carrying zod's readable message. */
export function parseControl<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw Object.assign(new Error(z.prettifyError(result.error)), { statusCode: 400 });
  return result.data;
}

/** Request bodies of the control API; the typed client (../client.ts) sends these shapes. */
export const controlSchemas = {
  reset: z.object({ seed: z.boolean().default(true) }),
  advance: z.object({ ms: z.number().int().min(0) }),
  fault: z.object({ endpoint: z.string().min(1), fault, times: z.number().int().min(1).default(1) }),
  randomFaults: z.object({
    seed: z.number().int().default(1),
    rules: z
      .array(
        z.object({
          kind: z.enum(RANDOM_FAULT_KINDS),
          rate: z.number().min(0).max(1),
          endpoints: z.array(z.string().min(1)).min(1).optional(),
        }),
      )
      .min(1)
      .refine(
        (rules) => rules.reduce((sum, rule) => sum + rule.rate, 0) <= 1,
        'the rates of the rules add up to more than 1',
      ),
  }),
  requestFilter: z.object({
    host: z.string().optional(),
    endpoint: z.string().optional(),
    since: z.coerce.number().int().optional(),
  }),
  app,
  appPatch: app.partial(),
  limits: z
    .object({
      appCallsPerHour: z.number().int().min(1),
      pageCallsPerHour: z.number().int().min(1),
      instagramCallsPerHour: z.number().int().min(1),
      linkedinCallsPerDay: z.number().int().min(1),
      refreshCallsPerSecond: z.number().int().min(1),
    })
    .partial(),
  tokenFilter: z.object({ subjectId: z.string().optional() }),
  revoke: z
    .object({
      token: z.string().optional(),
      subjectId: z.string().optional(),
      appId: z.string().optional(),
      subcode: revocationSubcode,
    })
    .refine((value) => value.token || value.subjectId, 'give a token or a subjectId'),
  facebookUser: z.object({
    id: z.string().regex(/^\d+$/),
    name: z.string().min(1),
    email: z.email(),
    pageRoles: z.array(z.object({ pageId: z.string(), tasks: z.array(z.string()) })).default([]),
  }),
  facebookPage: z.object({
    id: z.string().regex(/^\d+$/),
    name: z.string().min(1),
    category: z.string().default('Brand'),
    pictureUrl: z.string().default(''),
    instagramAccountId: z.string().optional(),
  }),
  instagramAccount: z.object({
    id: z.string().regex(/^\d+$/),
    appScopedId: z.string().regex(/^\d+$/),
    username: z.string().min(1),
    name: z.string().min(1),
    accountType: z.enum(['BUSINESS', 'MEDIA_CREATOR']).default('BUSINESS'),
    profilePictureUrl: z.string().default(''),
    followersCount: z.number().int().default(0),
    followsCount: z.number().int().default(0),
    quotaTotal: z.number().int().min(1).default(50),
  }),
  linkedinMember: z.object({
    sub: z.string().min(1),
    name: z.string().min(1),
    givenName: z.string().min(1),
    familyName: z.string().min(1),
    email: z.email(),
    picture: z.string().optional(),
    locale: z.string().default('en-US'),
    organizations: z
      .array(
        z.object({
          organizationId: z.string(),
          role: z.enum(['ADMINISTRATOR', 'DIRECT_SPONSORED_CONTENT_POSTER', 'CONTENT_ADMINISTRATOR', 'ANALYST']),
        }),
      )
      .default([]),
  }),
  linkedinOrganization: z.object({
    id: z.string().regex(/^\d+$/),
    name: z.string().min(1),
    vanityName: z.string().min(1),
  }),
};

export type FaultInput = z.input<typeof fault>;
export type RandomFaultsInput = z.input<typeof controlSchemas.randomFaults>;
export type AppInput = z.input<typeof app>;
