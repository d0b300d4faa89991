import { z } from 'zod';
import { providerId } from './connected-accounts.ts';

/** The admin area's API: how the instance is doing, for users flagged admin. */

export const ADMIN_WINDOWS = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;
export type AdminWindow = keyof typeof ADMIN_WINDOWS;
export const ADMIN_BUCKETS = ['hour', 'day'] as const;
export type AdminBucket = (typeof ADMIN_BUCKETS)[number];

export const adminOverviewQuery = z.object({
  window: z
    .enum(Object.keys(ADMIN_WINDOWS) as [AdminWindow, ...AdminWindow[]])
    .default('7d')
    .describe('How far back the rates and charts look.'),
  bucket: z
    .enum(ADMIN_BUCKETS)
    .optional()
    .describe('The width of one chart point: hourly for `24h`, daily otherwise, unless given.'),
});
export type AdminOverviewQuery = z.input<typeof adminOverviewQuery>;

const rate = z.number().min(0).max(1).nullable().describe('A share from 0 to 1; null when nothing was counted.');

export const ERROR_SOURCES = ['connect', 'publish', 'token_check'] as const;
export type ErrorSource = (typeof ERROR_SOURCES)[number];

export const adminOverview = z
  .object({
    window: z.object({
      from: z.iso.datetime(),
      to: z.iso.datetime(),
      bucket: z.enum(ADMIN_BUCKETS),
    }),
    connect: z.object({
      started: z.int(),
      completed: z.int(),
      failed: z.int(),
      unfinished: z.int().describe('Still running, or abandoned at the platform.'),
      successRate: rate.describe('Completed out of started.'),
      failuresByReason: z.array(z.object({ code: z.string(), count: z.int() })).describe('Most frequent first.'),
    }),
    publishing: z.object({
      published: z.int(),
      failed: z.int(),
      successRate: rate.describe('Published out of published and failed targets.'),
    }),
    series: z
      .array(
        z.object({
          at: z.iso.datetime().describe('Start of the bucket.'),
          connectStarted: z.int(),
          connectCompleted: z.int(),
          published: z.int(),
          publishFailed: z.int(),
        }),
      )
      .describe('One point per bucket of the window, oldest first.'),
    errors: z
      .array(
        z.object({
          provider: providerId,
          source: z.enum(ERROR_SOURCES),
          total: z.int(),
          failed: z.int(),
          rate,
          codes: z.array(z.object({ code: z.string(), count: z.int() })).describe('Most frequent first.'),
        }),
      )
      .describe(
        'Per provider and where the error happened: connect flows, publish targets, background token checks (refresh or inspection).',
      ),
    reconnect: z
      .array(
        z.object({
          id: z.uuid(),
          provider: providerId,
          name: z.string().nullable(),
          userEmail: z.string(),
          reason: z.string().nullable(),
          since: z.iso.datetime(),
        }),
      )
      .describe('Accounts that need their owner to reconnect them, longest waiting first.'),
    queues: z
      .array(
        z.object({
          queue: z.string(),
          queued: z.int(),
          deferred: z.int(),
          active: z.int(),
          failed: z.int(),
          oldestQueuedSeconds: z.number().describe('How long the oldest job ready to run has waited; 0 when none.'),
        }),
      )
      .describe('Empty where this process has no job queue.'),
    failedJobs: z
      .array(
        z.discriminatedUnion('type', [
          z.object({
            type: z.literal('publish'),
            id: z.uuid().describe('The post target; retry with `POST /api/admin/failed-targets/{id}/retry`.'),
            postId: z.uuid(),
            provider: providerId,
            userEmail: z.string(),
            code: z.string().nullable(),
            message: z.string().nullable(),
            failedAt: z.iso.datetime(),
          }),
          z.object({
            type: z.literal('job'),
            id: z.uuid().describe('The job; retry with `POST /api/admin/failed-jobs/{queue}/{id}/retry`.'),
            queue: z.string(),
            message: z.string().nullable(),
            retries: z.int(),
            failedAt: z.iso.datetime(),
          }),
        ]),
      )
      .describe('Failed publish targets of the window and failed background jobs still retained, latest first.'),
    usage: z
      .array(
        z.object({
          provider: z.string(),
          scope: z.enum(['app', 'account']),
          appId: z.string(),
          accountId: z.string().nullable(),
          label: z.string(),
          percent: z.number(),
          thresholdPercent: z.number(),
          throttledUntil: z.iso.datetime().nullable(),
          updatedAt: z.iso.datetime(),
        }),
      )
      .describe('Current usage against the platforms’ rate limits, as last reported by them.'),
  })
  .meta({ id: 'AdminOverview' });
export type AdminOverview = z.infer<typeof adminOverview>;
export type FailedJob = AdminOverview['failedJobs'][number];
export type UsageLevel = AdminOverview['usage'][number];

export const retriedJob = z.object({ retried: z.literal(true) }).meta({ id: 'AdminRetry' });
