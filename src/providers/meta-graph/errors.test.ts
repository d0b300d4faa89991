import { describe, expect, it } from 'vitest';
import { parseGraphError } from './errors.ts';
import type { GraphUsage } from './usage.ts';

const graph = (code: number, subcode?: number, extra: Record<string, unknown> = {}) => ({
  error: {
    message: 'platform message',
    type: 'OAuthException',
    code,
    ...(subcode === undefined ? {} : { error_subcode: subcode }),
    fbtrace_id: 'AbC',
    ...extra,
  },
});
const parse = (status: number, body: unknown, usage?: GraphUsage) =>
  parseGraphError({ provider: 'instagram', status, body, usage });

describe('parseGraphError', () => {
  it.each([
    [458, 'app_removed'],
    [459, 'user_checkpointed'],
    [460, 'password_changed'],
    [463, 'token_expired'],
    [464, 'unconfirmed_user'],
    [467, 'logged_out'],
    [492, 'lost_page_role'],
  ])('190/%i → reauth_required (%s)', (subcode, reason) => {
    const error = parse(400, graph(190, subcode));
    expect(error).toMatchObject({ kind: 'reauth_required', reason, code: `graph:190/${subcode}`, status: 400 });
    expect(error.userMessage).not.toContain('platform message');
  });

  it('190 without subcode and 102 → reauth_required (invalid_token)', () => {
    expect(parse(400, graph(190))).toMatchObject({
      kind: 'reauth_required',
      reason: 'invalid_token',
      code: 'graph:190',
    });
    expect(parse(400, graph(102))).toMatchObject({ kind: 'reauth_required', reason: 'invalid_token' });
  });

  it.each([10, 200, 230, 299])('%i → reauth_required (missing_permission)', (code) => {
    expect(parse(403, graph(code))).toMatchObject({ kind: 'reauth_required', reason: 'missing_permission' });
  });

  it.each([
    [4, 'app', 300_000],
    [17, 'user', 300_000],
    [32, 'page', 300_000],
    [341, 'app', 900_000],
    [613, 'other', 300_000],
    [80001, 'page', 300_000],
    [80002, 'instagram', 300_000],
    [80004, 'other', 300_000],
  ])('%i → rate_limited, scope %s, default wait %i ms', (code, scope, retryAfterMs) => {
    expect(parse(400, graph(code))).toMatchObject({ kind: 'rate_limited', scope, retryAfterMs });
  });

  it('rate limits wait for estimated_time_to_regain_access when Meta gives one', () => {
    const usage: GraphUsage = {
      business: {
        '1784': [{ type: 'instagram', callCount: 100, totalTime: 10, totalCputime: 10, regainAccessMinutes: 19 }],
      },
    };
    expect(parse(400, graph(80002), usage)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 19 * 60_000 });
  });

  it.each([
    [1, undefined],
    [2, undefined],
    [-2, 2207003],
    [-1, 2207001],
    [-1, 2207032],
    [-1, 2207053],
    [24, 2207008],
    [9007, 2207027],
  ])('%i/%s → transient', (code, subcode) => {
    expect(parse(code === 1 || code === 2 ? 500 : 400, graph(code, subcode))).toMatchObject({ kind: 'transient' });
  });

  it('is_transient and 5xx without a known code → transient', () => {
    expect(parse(400, graph(99, undefined, { is_transient: true }))).toMatchObject({ kind: 'transient' });
    expect(parse(503, graph(99))).toMatchObject({ kind: 'transient' });
  });

  it.each([
    [9, 2207042, 'quota_exceeded', /daily publishing limit/],
    [36000, 2207004, 'rejected', /8 MB/],
    [36001, 2207005, 'rejected', /JPEG/],
    [36003, 2207009, 'rejected', /aspect ratio/],
    [36004, 2207010, 'rejected', /2,200/],
    [100, 2207028, 'rejected', /between 2 and 10/],
    [352, 2207026, 'rejected', /video format/],
    [9004, 2207052, 'rejected', /public/],
    [25, 2207050, 'rejected', /restricted/],
    [4, 2207051, 'rate_limited', /slow down/],
    [-2, 2207020, 'rejected', /expired/],
  ])('%i/%i → %s with a message that says what to change', (code, subcode, reasonOrKind, message) => {
    const error = parse(400, graph(code, subcode));
    expect([error.reason, error.kind]).toContain(reasonOrKind);
    expect(error.userMessage).toMatch(message);
  });

  it.each([
    [506, 'duplicate', /duplicate of one the Page published recently\. Change the text/],
    [368, 'policy_block', /policy reason/],
    [324, 'invalid_media', /JPEG, PNG, GIF, BMP or TIFF smaller than 10 MB/],
  ])('%i → rejected (%s) with a message that says what happened', (code, reason, message) => {
    const error = parse(400, graph(code));
    expect(error).toMatchObject({ kind: 'rejected', reason, code: `graph:${code}` });
    expect(error.userMessage).toMatch(message);
  });

  it("a known code still prefers Meta's own user message", () => {
    expect(parse(400, graph(506, undefined, { error_user_msg: 'This status update is identical.' }))).toMatchObject({
      reason: 'duplicate',
      userMessage: 'This status update is identical.',
    });
  });

  it('2500 (no usable token or a malformed call) → rejected, not retried', () => {
    expect(parse(400, graph(2500))).toMatchObject({
      kind: 'rejected',
      reason: 'rejected',
      userMessage: 'Meta refused the request.',
    });
  });

  it("an unknown 4xx code → rejected, using Meta's user message when it has one", () => {
    expect(parse(400, graph(100, 33, { error_user_msg: 'Pick another Page.' }))).toMatchObject({
      kind: 'rejected',
      code: 'graph:100/33',
      userMessage: 'Pick another Page.',
    });
  });

  it('a body that is not a Graph error → transient for 5xx and network failures, rejected otherwise', () => {
    expect(parse(502, '<html>Bad gateway</html>')).toMatchObject({ kind: 'transient', code: 'http:502' });
    expect(parse(0, undefined)).toMatchObject({ kind: 'transient', code: 'http:0' });
    expect(parse(404, { unexpected: true })).toMatchObject({ kind: 'rejected', code: 'http:404' });
  });
});
