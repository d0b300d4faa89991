import type { FastifyInstance } from 'fastify';
import { HOUR } from '../core/clock.ts';
import { randomToken } from '../core/ids.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { restErrorHandler, restErrors } from './rest-errors.ts';
import { bearerToken, mayActAs, restCaller } from './rest-guard.ts';
import { READ_SCOPES } from './scopes.ts';

/** How long an upload URL stays usable (the real value is unpublished; see the docs). */
export const UPLOAD_URL_TTL_MS = HOUR;

/** Magic bytes of the formats LinkedIn takes for images (JPEG, PNG, GIF). */
const IMAGE_SIGNATURES = [Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('\x89PNG', 'latin1'), Buffer.from('GIF8')];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/** `POST /rest/images?action=initializeUpload` and `GET /rest/images/{urn}` on api.linkedin.com (reference §8.6). */
export async function imagesRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  const { linkedin, clock } = sandbox;

  app.post('/rest/images', { config: { endpoint: 'li.rest.images.initialize_upload' } }, async (request) => {
    const caller = restCaller(sandbox, request, { versioned: true, write: true });
    const { action } = request.query as { action?: string };
    if (action !== 'initializeUpload') throw restErrors.illegalArgument(`Unsupported action: ${action ?? '(none)'}`);
    const body = request.body;
    const init = isObject(body) ? body.initializeUploadRequest : undefined;
    if (!isObject(init)) throw restErrors.required('/initializeUploadRequest');
    if (init.owner === undefined) throw restErrors.required('/initializeUploadRequest/owner');
    const owner = init.owner;
    if (typeof owner !== 'string' || !/^urn:li:[A-Za-z]+:\S+$/.test(owner)) {
      throw restErrors.fieldValueFailed('/initializeUploadRequest/owner');
    }
    if (!mayActAs(sandbox, caller, owner)) throw restErrors.accessDenied('POST /rest/images');

    const urn = `urn:li:image:${randomToken('C4E10AQ', 24)}`;
    const uploadToken = randomToken('', 48);
    const uploadUrlExpiresAt = clock.now() + UPLOAD_URL_TTL_MS;
    linkedin.images.set(urn, { urn, owner, uploadToken, uploadUrlExpiresAt, status: 'WAITING_UPLOAD' });
    return {
      value: {
        uploadUrlExpiresAt,
        uploadUrl: `${sandbox.urls.linkedinWww}/dms-uploads/${uploadToken}`,
        image: urn,
      },
    };
  });

  app.get('/rest/images/:urn', { config: { endpoint: 'li.rest.images.get' } }, async (request) => {
    const caller = restCaller(sandbox, request, { versioned: true });
    const { urn } = request.params as { urn: string };
    if (!caller.token.scopes.some((scope) => READ_SCOPES.includes(scope))) {
      throw restErrors.accessDenied(`GET /rest/images/${urn}`);
    }
    const image = linkedin.images.get(urn);
    if (!image) throw restErrors.notFound();
    return { id: image.urn, owner: image.owner, status: image.status };
  });
}

/** The upload target handed out by initializeUpload, on the www host: `PUT` with the bearer token and raw bytes. */
export async function uploadRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler(restErrorHandler);
  const { linkedin, clock } = sandbox;

  app.put('/dms-uploads/:token', { config: { endpoint: 'li.dms_upload' } }, async (request, reply) => {
    bearerToken(sandbox, request);
    const { token } = request.params as { token: string };
    const image = [...linkedin.images.values()].find((candidate) => candidate.uploadToken === token);
    if (!image) throw restErrors.notFound();
    if (image.uploadUrlExpiresAt <= clock.now()) throw restErrors.illegalArgument('The upload URL has expired');
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
      throw restErrors.illegalArgument('The request body must be the raw image bytes');
    }
    if (!IMAGE_SIGNATURES.some((signature) => bytes.subarray(0, signature.length).equals(signature))) {
      throw restErrors.illegalArgument('The uploaded file is not a JPEG, PNG or GIF image');
    }
    image.status = 'AVAILABLE';
    image.size = bytes.length;
    return reply.status(201).send();
  });
}
