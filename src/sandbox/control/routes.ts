import type { FastifyInstance } from 'fastify';
import type { Fault } from '../core/faults.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { REVOCATION_MESSAGES, type Revocation } from '../core/tokens.ts';
import { seedDefaultWorkspace } from '../seed.ts';
import { callbackRoutes } from './callbacks.ts';
import { controlSchemas, parseControl } from './schemas.ts';

/**
 * The control API (`/__control/...`): what tests, benchmarks and the sandbox UI use to set the
 * scene and look behind it. Not part of any real platform.
 */
export async function controlRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) =>
    reply.status(error.statusCode && error.statusCode < 500 ? error.statusCode : 500).send({ error: error.message }),
  );

  app.get('/state', async () => ({
    now: new Date(sandbox.clock.now()).toISOString(),
    clockOffsetMs: sandbox.clock.offsetMs,
    urls: sandbox.urls,
    apps: sandbox.apps.list(),
    limits: sandbox.usage.limits,
    facebook: { users: [...sandbox.facebook.users.values()], pages: [...sandbox.facebook.pages.values()] },
    instagram: { accounts: [...sandbox.instagram.accounts.values()] },
    linkedin: {
      members: [...sandbox.linkedin.members.values()],
      organizations: [...sandbox.linkedin.organizations.values()],
    },
  }));

  app.post('/reset', async (request) => {
    const { seed } = parseControl(controlSchemas.reset, request.body);
    sandbox.clear();
    if (seed) seedDefaultWorkspace(sandbox);
    return { ok: true };
  });

  app.get('/clock', async () => ({
    now: new Date(sandbox.clock.now()).toISOString(),
    offsetMs: sandbox.clock.offsetMs,
  }));
  app.post('/clock/advance', async (request) => {
    const { ms } = parseControl(controlSchemas.advance, request.body);
    sandbox.clock.advance(ms);
    return { now: new Date(sandbox.clock.now()).toISOString(), offsetMs: sandbox.clock.offsetMs };
  });

  app.get('/faults', async () => ({ faults: sandbox.faults.pending(), random: sandbox.faults.random() }));
  app.post('/faults', async (request) => {
    const { endpoint, fault, times } = parseControl(controlSchemas.fault, request.body);
    sandbox.faults.add(endpoint, fault as Fault, times);
    return { faults: sandbox.faults.pending() };
  });
  app.delete('/faults', async () => {
    sandbox.faults.clear();
    return { faults: [] };
  });
  app.put('/faults/random', async (request) => {
    sandbox.faults.setRandom(parseControl(controlSchemas.randomFaults, request.body));
    return sandbox.faults.random();
  });
  app.delete('/faults/random', async () => {
    sandbox.faults.setRandom(undefined);
    return sandbox.faults.random();
  });

  app.get('/requests', async (request) => {
    const filter = parseControl(controlSchemas.requestFilter, request.query);
    return { requests: sandbox.log.list(filter) };
  });
  app.delete('/requests', async () => {
    sandbox.log.clear();
    return { requests: [] };
  });

  app.put('/apps/:id', async (request) => {
    const { id } = request.params as { id: string };
    const patch = parseControl(controlSchemas.appPatch, request.body);
    const existing = sandbox.apps.get(id);
    const merged = parseControl(controlSchemas.app, { ...existing, ...patch, id });
    return sandbox.apps.upsert(merged);
  });

  app.put('/limits', async (request) => {
    sandbox.usage.limits = { ...sandbox.usage.limits, ...parseControl(controlSchemas.limits, request.body) };
    return sandbox.usage.limits;
  });

  app.get('/tokens', async (request) => {
    const { subjectId } = parseControl(controlSchemas.tokenFilter, request.query);
    return { tokens: sandbox.tokens.list().filter((token) => !subjectId || token.subjectId === subjectId) };
  });
  app.post('/tokens/revoke', async (request) => {
    const body = parseControl(controlSchemas.revoke, request.body);
    const revocation: Revocation = { subcode: body.subcode, message: REVOCATION_MESSAGES[body.subcode] };
    const revoked = body.token
      ? Number(sandbox.tokens.revoke(body.token, revocation))
      : sandbox.tokens.revokeSubject({ subjectId: body.subjectId ?? '', appId: body.appId }, revocation);
    return { revoked };
  });

  app.put('/facebook/users/:id', async (request) => {
    const user = parseControl(controlSchemas.facebookUser, {
      ...(request.body as object),
      id: (request.params as { id: string }).id,
    });
    sandbox.facebook.users.set(user.id, user);
    return user;
  });
  app.put('/facebook/pages/:id', async (request) => {
    const page = parseControl(controlSchemas.facebookPage, {
      ...(request.body as object),
      id: (request.params as { id: string }).id,
    });
    sandbox.facebook.pages.set(page.id, page);
    return page;
  });
  app.put('/instagram/accounts/:id', async (request) => {
    const account = parseControl(controlSchemas.instagramAccount, {
      ...(request.body as object),
      id: (request.params as { id: string }).id,
    });
    sandbox.instagram.accounts.set(account.id, account);
    return account;
  });
  app.put('/linkedin/members/:sub', async (request) => {
    const member = parseControl(controlSchemas.linkedinMember, {
      ...(request.body as object),
      sub: (request.params as { sub: string }).sub,
    });
    sandbox.linkedin.members.set(member.sub, member);
    return member;
  });
  app.put('/linkedin/organizations/:id', async (request) => {
    const organization = parseControl(controlSchemas.linkedinOrganization, {
      ...(request.body as object),
      id: (request.params as { id: string }).id,
    });
    sandbox.linkedin.organizations.set(organization.id, organization);
    return organization;
  });

  await app.register(callbackRoutes, { sandbox });

  app.get('/published', async () => ({
    facebook: sandbox.facebook.posts,
    instagram: {
      containers: [...sandbox.instagram.containers.values()],
      media: [...sandbox.instagram.media.values()],
    },
    linkedin: { posts: sandbox.linkedin.posts, images: [...sandbox.linkedin.images.values()] },
  }));
}
