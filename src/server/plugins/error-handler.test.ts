import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandlerPlugin } from './error-handler.ts';

/** Errors that reach the handler from plugins and libraries, as clients see them. */
describe('errorHandlerPlugin', () => {
  const app = Fastify({ logger: false });
  const thrown = (statusCode: number | undefined, message: string) =>
    Object.assign(new Error(message), statusCode === undefined ? {} : { statusCode });

  beforeAll(async () => {
    await app.register(errorHandlerPlugin);
    app.get('/not-acceptable', async () => {
      throw thrown(406, 'Not acceptable here');
    });
    app.get('/conflict-like', async () => {
      throw thrown(422, 'Unprocessable here');
    });
    app.get('/crash', async () => {
      throw thrown(undefined, 'secret internals');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it.each(['/not-acceptable', '/conflict-like'])(
    'keeps an unlisted client error (%s) a 400 with its message',
    async (url) => {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('BAD_REQUEST');
      expect(response.json().error.message).toMatch(/here$/);
    },
  );

  it('answers anything else as a 500 without its internals', async () => {
    const response = await app.inject({ url: '/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('INTERNAL_ERROR');
    expect(response.body).not.toContain('secret internals');
  });
});
