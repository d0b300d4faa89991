import { z } from 'zod';
import { CAPTION_LIMITS, countCaption } from '../../contracts/instagram-rules.ts';
import { instagramCarouselProblems, instagramMediaProblems } from '../../server/media/limits.ts';
import { RejectedError } from '../errors.ts';
import type { GraphClient } from '../meta-graph/client.ts';
import type { PrepareStep, PublishDraft, Publisher, PublishMedia, PublishProblem } from '../types.ts';

const created = z.object({ id: z.string() });
const containerStatus = z.object({
  id: z.string().optional(),
  status_code: z.enum(['IN_PROGRESS', 'FINISHED', 'PUBLISHED', 'ERROR', 'EXPIRED']),
  status: z.string().optional(),
});
const publishingLimit = z.object({
  data: z.array(
    z.object({
      quota_usage: z.number(),
      config: z.object({ quota_total: z.number(), quota_duration: z.number() }).optional(),
    }),
  ),
});
const mediaLink = z.object({ id: z.string(), permalink: z.string().optional() });

/** Caption problems; shared by every Instagram post kind that has a caption. */
export function captionProblems(caption: string): PublishProblem[] {
  const problems: PublishProblem[] = [];
  const { characters: length, hashtags, mentions } = countCaption(caption);
  if (length > CAPTION_LIMITS.characters)
    problems.push({
      code: 'CAPTION_TOO_LONG',
      message: `The caption has ${length} characters; Instagram allows ${CAPTION_LIMITS.characters}. Shorten it by ${length - CAPTION_LIMITS.characters}.`,
    });
  if (hashtags > CAPTION_LIMITS.hashtags)
    problems.push({
      code: 'TOO_MANY_HASHTAGS',
      message: `The caption has ${hashtags} hashtags; Instagram allows ${CAPTION_LIMITS.hashtags}.`,
    });
  if (mentions > CAPTION_LIMITS.mentions)
    problems.push({
      code: 'TOO_MANY_MENTIONS',
      message: `The caption mentions ${mentions} accounts; Instagram allows ${CAPTION_LIMITS.mentions}.`,
    });
  return problems;
}

/** Which media each kind takes (one file, or a carousel of 2–10), and each file against the limits. */
function mediaProblems(draft: PublishDraft): PublishProblem[] {
  if (draft.kind === 'carousel') return instagramCarouselProblems(draft.media);
  const [item, ...rest] = draft.media;
  if (!item || rest.length > 0) {
    const one = draft.kind === 'story' ? 'image or video' : draft.kind === 'reel' ? 'video' : 'image';
    // Only several files call for a carousel; a post with none just needs its one file.
    const advice = item ? ' For several, choose Carousel.' : ' Add one.';
    return [{ code: 'MEDIA_COUNT', message: `This kind of post takes exactly one ${one}.${advice}` }];
  }
  return instagramMediaProblems(item, draft.kind);
}

const unusable = (code: string, reason: string, userMessage: string, detail?: string) =>
  new RejectedError({ provider: 'instagram', code, reason, userMessage, detail });

/**
 * Instagram content publishing (reference §4), the same on both Graph hosts: containers (children
 * first for a carousel), status checks until FINISHED, the quota read, then media_publish.
 */
export function createInstagramPublisher(graph: GraphClient): Publisher {
  async function status(id: string, token: string, account: string) {
    const { data } = await graph.get({
      path: id,
      token,
      object: account,
      params: { fields: 'status_code,status' },
      schema: containerStatus,
    });
    return data;
  }

  /** Whether a container can be published now; throws for one that never will be. */
  async function readiness(id: string, token: string, account: string): Promise<'ready' | 'wait'> {
    const { status_code: code, status: text } = await status(id, token, account);
    if (code === 'FINISHED') return 'ready';
    if (code === 'IN_PROGRESS') return 'wait';
    if (code === 'EXPIRED')
      throw unusable(
        'graph:container_expired',
        'container_expired',
        'Instagram discarded the upload after 24 hours. Publish the post again.',
      );
    if (code === 'PUBLISHED')
      throw unusable('graph:container_published', 'already_published', 'This upload was already published.');
    throw unusable(
      'graph:container_error',
      'media_processing_failed',
      'Instagram could not process this media. Check that it meets the format and length limits, then try again.',
      text,
    );
  }

  const createContainer = async (externalId: string, token: string, params: Record<string, string>) =>
    (await graph.post({ path: `${externalId}/media`, token, params, schema: created, object: externalId })).data.id;

  const mediaParam = (item: PublishMedia): Record<string, string> =>
    item.kind === 'image' ? { image_url: item.url } : { video_url: item.url };

  function singleParams(draft: PublishDraft): Record<string, string> {
    const [item] = draft.media;
    if (!item) throw unusable('tether:no_media', 'no_media', 'The post has no media.');
    if (draft.kind === 'reel') return { media_type: 'REELS', video_url: item.url, caption: draft.caption };
    if (draft.kind === 'story') return { media_type: 'STORIES', ...mediaParam(item) };
    return { image_url: item.url, caption: draft.caption };
  }

  return {
    // Containers stay publishable for 24 hours after they are created.
    preparesAhead: true,

    validate(draft) {
      const problems = mediaProblems(draft);
      if (draft.kind !== 'story') problems.push(...captionProblems(draft.caption));
      return problems;
    },

    async prepare({ externalId, token, draft, remote }): Promise<PrepareStep> {
      const secret = token.reveal();
      if (draft.kind === 'carousel') {
        const children = remote.childContainerIds;
        const next = draft.media[children.length];
        if (next) {
          const id = await createContainer(externalId, secret, {
            is_carousel_item: 'true',
            ...(next.kind === 'video' ? { media_type: 'VIDEO' } : {}),
            ...mediaParam(next),
          });
          return { step: 'stored', remote: { ...remote, childContainerIds: [...children, id] } };
        }
        if (!remote.containerId) {
          for (const child of children)
            if ((await readiness(child, secret, externalId)) === 'wait') return { step: 'wait' };
          const id = await createContainer(externalId, secret, {
            media_type: 'CAROUSEL',
            children: children.join(','),
            caption: draft.caption,
          });
          return { step: 'stored', remote: { ...remote, containerId: id } };
        }
      } else if (!remote.containerId) {
        const id = await createContainer(externalId, secret, singleParams(draft));
        return { step: 'stored', remote: { ...remote, containerId: id } };
      }
      return (await readiness(remote.containerId, secret, externalId)) === 'ready'
        ? { step: 'ready' }
        : { step: 'wait' };
    },

    async publish({ externalId, token, remote }) {
      if (!remote.containerId)
        throw unusable('tether:no_container', 'no_container', 'Nothing was uploaded to publish.');
      const secret = token.reveal();
      const { data: limit } = await graph.get({
        path: `${externalId}/content_publishing_limit`,
        token: secret,
        object: externalId,
        params: { fields: 'config,quota_usage' },
        schema: publishingLimit,
      });
      const usage = limit.data[0];
      if (usage?.config && usage.quota_usage >= usage.config.quota_total)
        throw unusable(
          'graph:quota_exhausted',
          'quota_exceeded',
          `This account has published ${usage.quota_usage} posts in the last 24 hours, Instagram's limit. Try again later.`,
        );
      const { data } = await graph.post({
        path: `${externalId}/media_publish`,
        token: secret,
        object: externalId,
        params: { creation_id: remote.containerId },
        schema: created,
      });
      return { remoteId: data.id };
    },

    async confirm({ externalId, token, remote }) {
      if (!remote.containerId) return { published: false };
      const { status_code: code } = await status(remote.containerId, token.reveal(), externalId);
      // Instagram does not say which media a published container became; the post exists, its link is unknown.
      return code === 'PUBLISHED' ? { published: true, remoteId: null } : { published: false };
    },

    async permalink({ externalId, token, remoteId }) {
      const { data } = await graph.get({
        path: remoteId,
        token: token.reveal(),
        object: externalId,
        params: { fields: 'id,permalink' },
        schema: mediaLink,
      });
      return data.permalink ?? null;
    },
  };
}
