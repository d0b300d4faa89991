import { GraphError } from '../core/graph.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { percentOf } from '../core/usage.ts';

/**
 * Meta's usage headers and throttling (reference §5.3), shared by the Facebook and Instagram
 * Graph routes. A call is refused once the calls already counted in the rolling hour reach the
 * limit; refused calls are not counted, so access comes back when the oldest call leaves the window.
 */

/** Business use case types the sandbox meters, with their limit and throttling error. */
const BUSINESS_USE_CASES = {
  pages: {
    limit: (sandbox: Sandbox) => sandbox.usage.limits.pageCallsPerHour,
    error: () =>
      new GraphError({
        code: 80001,
        message:
          '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
        isTransient: true,
      }),
  },
  instagram: {
    limit: (sandbox: Sandbox) => sandbox.usage.limits.instagramCallsPerHour,
    error: () =>
      new GraphError({
        code: 80002,
        message:
          '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
        isTransient: true,
      }),
  },
} as const;

export type BusinessUseCaseType = keyof typeof BUSINESS_USE_CASES;

/** Where usage headers go: the Fastify reply (typed narrowly so helpers need nothing else of it). */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

const usageValue = (percent: number) => ({ call_count: percent, total_cputime: percent, total_time: percent });
const throttleHeader = (message: string) => ({
  'www-authenticate': `OAuth "Facebook Platform" "invalid_request" "${message.replaceAll('"', "'")}"`,
});

/** Counts a call against the app, sets `X-App-Usage`, and refuses it with code 4 at 100 %. */
export function meterAppCall(sandbox: Sandbox, reply: HeaderSink, appId: string): void {
  const key = `graph-app:${appId}`;
  const limit = sandbox.usage.limits.appCallsPerHour;
  if (sandbox.usage.count(key) >= limit) {
    const header = { 'x-app-usage': JSON.stringify(usageValue(100)) };
    const message = '(#4) Application request limit reached';
    throw new GraphError({ code: 4, message, isTransient: true, headers: { ...header, ...throttleHeader(message) } });
  }
  const percent = percentOf(sandbox.usage.hit(key), limit);
  reply.header('x-app-usage', JSON.stringify(usageValue(percent)));
}

/**
 * Counts a call against a business object (a Page or an Instagram account), sets
 * `X-Business-Use-Case-Usage`, and refuses it (80001 / 80002) once the object's limit is reached.
 * `estimated_time_to_regain_access` is 0 below the limit and the minutes until the oldest counted
 * call leaves the window from the call that reaches it on.
 */
export function meterBusinessCall(
  sandbox: Sandbox,
  reply: HeaderSink,
  objectId: string,
  type: BusinessUseCaseType,
): void {
  const useCase = BUSINESS_USE_CASES[type];
  const key = `graph-buc:${type}:${objectId}`;
  const limit = useCase.limit(sandbox);
  const header = (percent: number, minutes: number) => ({
    'x-business-use-case-usage': JSON.stringify({
      [objectId]: [{ type, ...usageValue(percent), estimated_time_to_regain_access: minutes }],
    }),
  });
  if (sandbox.usage.count(key) >= limit) {
    const error = useCase.error();
    throw new GraphError({
      code: error.code,
      message: error.message,
      isTransient: true,
      headers: { ...header(100, sandbox.usage.minutesToRegain(key)), ...throttleHeader(error.message) },
    });
  }
  // The call that reaches the limit is served, and already says when access comes back.
  const count = sandbox.usage.hit(key);
  const minutes = count >= limit ? sandbox.usage.minutesToRegain(key) : 0;
  for (const [name, value] of Object.entries(header(percentOf(count, limit), minutes))) reply.header(name, value);
}
