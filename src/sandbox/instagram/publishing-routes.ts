import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { graphErrorHandler, graphErrors, graphParams, requestedGraphVersion } from '../core/graph.ts';
import { meterBusinessCall } from '../core/graph-usage.ts';
import { SANDBOX_HOSTS } from '../core/hosts.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { authorizeAccount, type GraphHost } from './auth.ts';
import { createContainer } from './container-create.ts';
import { mediaKind, newMediaId, publishedSince, QUOTA_WINDOW_MS, settle } from './containers.ts';
import { requestedFields } from './fields.ts';
import type { InstagramMedia } from './model.ts';
import { publishErrors } from './publish-errors.ts';

/** The version the resumable upload URI names when the create call had none. */
const DEFAULT_UPLOAD_VERSION = 'v25.0';

const HOSTS: GraphHost[] = ['instagramGraph', 'facebookGraph'];

const shortcode = () => randomBytes(8).toString('base64url').slice(0, 11);

/**
 * Publishing on graph.instagram.com (Instagram Login) and graph.facebook.com (Facebook Login):
 * the same paths on both (reference §4), each host taking its own kind of token.
 */
export async function instagramPublishingRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler(graphErrorHandler);

  for (const host of HOSTS) {
    const prefix = SANDBOX_HOSTS[host].prefix;

    app.post(`${prefix}/:id/media`, { config: { endpoint: 'ig.graph.media.create' } }, async (request, reply) => {
      const params = graphParams(request);
      const { id } = request.params as { id: string };
      const { account } = authorizeAccount({ sandbox, request, params, host, accountId: id, access: 'publish' });
      meterBusinessCall(sandbox, reply, account.id, 'instagram');
      const container = await createContainer({ sandbox, host, accountId: account.id, params });
      sandbox.instagram.containers.set(container.id, container);
      if (!container.resumable) return { id: container.id };
      const version = requestedGraphVersion(request) ?? DEFAULT_UPLOAD_VERSION;
      return { id: container.id, uri: `${sandbox.urls.facebookRupload}/ig-api-upload/${version}/${container.id}` };
    });

    app.post(
      `${prefix}/:id/media_publish`,
      { config: { endpoint: 'ig.graph.media_publish' } },
      async (request, reply) => {
        const params = graphParams(request);
        const { id } = request.params as { id: string };
        const { account } = authorizeAccount({ sandbox, request, params, host, accountId: id, access: 'publish' });
        meterBusinessCall(sandbox, reply, account.id, 'instagram');
        const creationId = params.creation_id;
        if (!creationId) throw graphErrors.missingParameter('creation_id');
        const container = sandbox.instagram.containers.get(creationId);
        if (!container || container.accountId !== account.id) throw publishErrors.notFound(creationId);
        if (container.isCarouselItem)
          throw graphErrors.invalidParameter('A carousel item cannot be published on its own; publish its carousel');
        const status = settle(sandbox, container);
        if (status === 'PUBLISHED')
          throw publishErrors.alreadyPublished(container.id, container.publishedMediaId ?? '');
        if (status === 'EXPIRED') throw publishErrors.expired(container.id);
        if (status !== 'FINISHED') throw publishErrors.notReady(container.id);
        if (publishedSince(sandbox, account.id) >= account.quotaTotal)
          throw publishErrors.quotaReached(account.quotaTotal);

        const code = shortcode();
        const kind = mediaKind(container);
        const path = kind.mediaProductType === 'REELS' ? 'reel' : kind.mediaProductType === 'STORY' ? 'stories' : 'p';
        const media: InstagramMedia = {
          id: newMediaId(),
          accountId: account.id,
          containerId: container.id,
          ...kind,
          caption: container.caption,
          shortcode: code,
          permalink:
            kind.mediaProductType === 'STORY'
              ? `${sandbox.urls.instagramWww}/stories/${account.username}/${code}/`
              : `${sandbox.urls.instagramWww}/${path}/${code}/`,
          publishedAt: sandbox.clock.now(),
        };
        sandbox.instagram.media.set(media.id, media);
        container.status = 'PUBLISHED';
        container.publishedMediaId = media.id;
        return { id: media.id };
      },
    );

    app.get(
      `${prefix}/:id/content_publishing_limit`,
      { config: { endpoint: 'ig.graph.content_publishing_limit' } },
      async (request, reply) => {
        const params = graphParams(request);
        const { id } = request.params as { id: string };
        const { account } = authorizeAccount({ sandbox, request, params, host, accountId: id, access: 'basic' });
        meterBusinessCall(sandbox, reply, account.id, 'instagram');
        const fields = requestedFields(params, ['config', 'quota_usage'], 'ContentPublishingLimit');
        let since = 0;
        if (params.since !== undefined) {
          const seconds = Number(params.since);
          if (!Number.isInteger(seconds) || seconds * 1000 < sandbox.clock.now() - QUOTA_WINDOW_MS)
            throw graphErrors.invalidParameter('Param since must be a unix timestamp within the last 24 hours');
          since = seconds * 1000;
        }
        const entry: Record<string, unknown> = {};
        for (const field of fields.length ? fields : ['quota_usage']) {
          if (field === 'quota_usage') entry.quota_usage = publishedSince(sandbox, account.id, since);
          if (field === 'config')
            entry.config = { quota_total: account.quotaTotal, quota_duration: QUOTA_WINDOW_MS / 1000 };
        }
        return { data: [entry] };
      },
    );
  }
}
