import { facebookPostProblems, facebookPostShape } from '../../contracts/facebook-rules.ts';
import { RejectedError } from '../errors.ts';
import type { GraphClient } from '../meta-graph/client.ts';
import type { PrepareStep, PublishDraft, Publisher, PublishProblem } from '../types.ts';
import { feedPostCreated, photoUploaded, videoCreated } from './schemas.ts';

/** Where people see a Page's posts; permalinks are built, not read (see `permalink`). */
const FACEBOOK_WEB = 'https://www.facebook.com';

const shapeOf = (draft: PublishDraft) => {
  const shape = facebookPostShape(draft.media);
  if (!shape)
    throw new RejectedError({
      provider: 'facebook_page',
      code: 'tether:invalid_media',
      reason: 'invalid_media',
      userMessage: 'A Facebook post holds photos or one video.',
    });
  return shape;
};

/**
 * Facebook Page publishing (reference §7). Text and photos become one `/feed` post: each photo is
 * first uploaded unpublished (`prepare`, one per step, ids kept as child containers; repeating an
 * upload leaves only an unused photo), then attached to the post. One video is one `/videos`
 * call. Facebook cannot be asked afterwards whether a `/feed` or `/videos` call went through, so
 * there is no `confirm`: a lost answer fails the target as unconfirmed instead of posting twice.
 */
export function createFacebookPagePublisher(graph: GraphClient): Publisher {
  return {
    validate(draft) {
      const problems: PublishProblem[] = [];
      if (draft.kind !== 'feed')
        problems.push({
          code: 'KIND_NOT_SUPPORTED',
          message: `Facebook Pages take feed posts only; ${draft.kind} is an Instagram kind. Choose Feed for this account.`,
        });
      problems.push(...facebookPostProblems(draft));
      return problems;
    },

    async prepare({ externalId, token, draft, remote }): Promise<PrepareStep> {
      if (shapeOf(draft) !== 'photos') return { step: 'ready' };
      const next = draft.media[remote.childContainerIds.length];
      if (!next) return { step: 'ready' };
      const { data } = await graph.post({
        path: `${externalId}/photos`,
        token: token.reveal(),
        object: externalId,
        params: { url: next.url, published: false },
        schema: photoUploaded,
      });
      return { step: 'stored', remote: { ...remote, childContainerIds: [...remote.childContainerIds, data.id] } };
    },

    async publish({ externalId, token, draft, remote }) {
      const secret = token.reveal();
      const [video] = draft.media;
      if (shapeOf(draft) === 'video' && video) {
        // The video is published once Facebook has processed it; the post needs nothing more from Tether.
        const { data } = await graph.post({
          path: `${externalId}/videos`,
          token: secret,
          object: externalId,
          params: { file_url: video.url, description: draft.caption || undefined },
          schema: videoCreated,
        });
        return { remoteId: data.id };
      }
      const attached = Object.fromEntries(
        remote.childContainerIds.map((id, index) => [`attached_media[${index}]`, JSON.stringify({ media_fbid: id })]),
      );
      const { data } = await graph.post({
        path: `${externalId}/feed`,
        token: secret,
        object: externalId,
        params: { message: draft.caption || undefined, ...attached },
        schema: feedPostCreated,
      });
      return { remoteId: data.id };
    },

    /**
     * Built from the ids, without a call: a post id (`<page>_<post>`) opens at facebook.com/<id>,
     * a video at the Page's videos. A video's link works once Facebook has processed it.
     */
    async permalink({ externalId, draft, remoteId }) {
      return shapeOf(draft) === 'video'
        ? `${FACEBOOK_WEB}/${externalId}/videos/${remoteId}`
        : `${FACEBOOK_WEB}/${remoteId}`;
    },
  };
}
