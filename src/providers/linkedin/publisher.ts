import { z } from 'zod';
import {
  COMMENTARY_MAX,
  commentaryLength,
  escapeLittleText,
  LINKEDIN_IMAGE_MAX_PIXELS,
  LINKEDIN_IMAGE_MIMES,
  LINKEDIN_IMAGES,
} from '../../contracts/linkedin-rules.ts';
import { ProviderError, RejectedError, TransientError } from '../errors.ts';
import type { Fetch } from '../meta-graph/client.ts';
import type { PrepareStep, PublishDraft, Publisher, PublishMedia, PublishProblem } from '../types.ts';
import type { LinkedInClient } from './client.ts';

/** §8.6 The answer of `initializeUpload`; `uploadUrlExpiresAt` is in milliseconds. */
const initializedUpload = z.object({
  value: z.object({
    uploadUrl: z.url({ protocol: /^https?$/ }),
    image: z.string().regex(/^urn:li:image:\S+$/),
    uploadUrlExpiresAt: z.number().optional(),
  }),
});

/** §8.5 The id LinkedIn gives a new post, in the `x-restli-id` header of its empty 201. */
const POST_URN = /^urn:li:(?:share|ugcPost):\d+$/;
/** §8.5 The 422 for the same text posted again; the URN is the earlier post's. */
const DUPLICATE = /Content is a duplicate of (urn:li:(?:share|ugcPost):\d+)/;
/** How long fetching one file from Tether's media URL may take. */
export const MEDIA_FETCH_TIMEOUT_MS = 60_000;

/** The public page of a post (§8.5). */
export const postUrl = (urn: string) => `https://www.linkedin.com/feed/update/${urn}`;

const problem = (code: string, message: string): PublishProblem => ({ code, message });

function imageProblems(item: PublishMedia, index: number): PublishProblem[] {
  const which = `Image ${index + 1}`;
  if (item.kind !== 'image')
    return [problem('MEDIA_KIND', `${which} is a video; Tether posts only images to LinkedIn.`)];
  const problems: PublishProblem[] = [];
  if (!LINKEDIN_IMAGE_MIMES.includes(item.mime))
    problems.push(problem('MEDIA_FORMAT', `${which} is ${item.mime}; LinkedIn takes JPEG, PNG or GIF images.`));
  if (item.width !== null && item.height !== null && item.width * item.height > LINKEDIN_IMAGE_MAX_PIXELS)
    problems.push(
      problem(
        'IMAGE_TOO_LARGE',
        `${which} is ${item.width}×${item.height} pixels; LinkedIn takes at most ${LINKEDIN_IMAGE_MAX_PIXELS.toLocaleString('en-US')} pixels. Use a smaller image.`,
      ),
    );
  return problems;
}

/** Everything LinkedIn would refuse about a draft, before anything is sent (pure). */
export function linkedInDraftProblems(draft: PublishDraft): PublishProblem[] {
  if (draft.kind !== 'feed')
    return [problem('POST_KIND', `LinkedIn has no ${draft.kind} posts; choose Feed for a LinkedIn account.`)];
  const problems: PublishProblem[] = [];
  const length = commentaryLength(draft.caption);
  if (length > COMMENTARY_MAX)
    problems.push(
      problem(
        'CAPTION_TOO_LONG',
        `The text has ${length} characters as LinkedIn counts them (each of ( ) [ ] { } < > @ | ~ _ * # \\ counts twice); LinkedIn allows ${COMMENTARY_MAX}. Shorten it by ${length - COMMENTARY_MAX}.`,
      ),
    );
  if (draft.media.length > LINKEDIN_IMAGES.max)
    problems.push(
      problem(
        'MEDIA_COUNT',
        `The post has ${draft.media.length} images; LinkedIn takes at most ${LINKEDIN_IMAGES.max}.`,
      ),
    );
  if (draft.media.length === 0 && draft.caption.trim() === '')
    problems.push(problem('EMPTY_POST', 'A LinkedIn post needs text or at least one image.'));
  draft.media.forEach((item, index) => {
    problems.push(...imageProblems(item, index));
  });
  return problems;
}

/** The `content` of a post: one image as `media`, several as `multiImage`, none for text only. */
function postContent(imageUrns: string[]) {
  const [first, ...rest] = imageUrns;
  if (!first) return {};
  if (rest.length === 0) return { content: { media: { id: first } } };
  return { content: { multiImage: { images: imageUrns.map((id) => ({ id })) } } };
}

/**
 * Publishing to LinkedIn (reference §8.5, §8.6) as `author` (a person or an organization URN).
 * `prepare` uploads one image per step (initializeUpload, then the bytes fetched from Tether's
 * media URL PUT to the upload URL) and stores its URN; `publish` creates the post. There is no
 * `confirm`: with `w_member_social` LinkedIn cannot be asked which posts exist, so a publish call
 * whose answer was lost is never repeated.
 */
export function createLinkedInPublisher(
  client: LinkedInClient,
  options: { fetch: Fetch; author: (externalId: string) => string },
): Publisher {
  async function mediaBytes(item: PublishMedia): Promise<Uint8Array<ArrayBuffer>> {
    const failure = (reason: string, detail: string, retry: boolean) => {
      const input = {
        provider: 'linkedin',
        code: `tether:media_${reason}`,
        reason: `media_${reason}`,
        userMessage: retry
          ? 'An image of this post could not be read from Tether; it will retry.'
          : 'An image of this post is no longer available. Choose the media again.',
        detail,
      };
      return retry ? new TransientError(input) : new RejectedError(input);
    };
    let response: Response;
    try {
      response = await options.fetch(item.url, { signal: AbortSignal.timeout(MEDIA_FETCH_TIMEOUT_MS) });
    } catch (error) {
      throw failure('unreachable', (error as Error).message, true);
    }
    if (!response.ok) throw failure('unavailable', `HTTP ${response.status}`, response.status >= 500);
    return new Uint8Array(await response.arrayBuffer());
  }

  async function uploadImage(author: string, token: string, item: PublishMedia): Promise<string> {
    const bytes = await mediaBytes(item);
    const { data } = await client.request({
      method: 'POST',
      path: '/rest/images?action=initializeUpload',
      token,
      json: { initializeUploadRequest: { owner: author } },
      schema: initializedUpload,
    });
    await client.upload({ url: data.value.uploadUrl, token, bytes });
    return data.value.image;
  }

  return {
    validate: linkedInDraftProblems,

    async prepare({ externalId, token, draft, remote }): Promise<PrepareStep> {
      const next = draft.media[remote.childContainerIds.length];
      if (!next) return { step: 'ready' };
      const urn = await uploadImage(options.author(externalId), token.reveal(), next);
      return { step: 'stored', remote: { ...remote, childContainerIds: [...remote.childContainerIds, urn] } };
    },

    async publish({ externalId, token, draft, remote }) {
      if (remote.childContainerIds.length !== draft.media.length)
        throw new RejectedError({
          provider: 'linkedin',
          code: 'tether:images_missing',
          reason: 'images_missing',
          userMessage: 'Not every image was uploaded to LinkedIn; publish the post again.',
        });
      let headers: Headers;
      try {
        ({ headers } = await client.request({
          method: 'POST',
          path: '/rest/posts',
          token: token.reveal(),
          json: {
            author: options.author(externalId),
            commentary: escapeLittleText(draft.caption),
            visibility: 'PUBLIC',
            distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
            lifecycleState: 'PUBLISHED',
            isReshareDisabledByAuthor: false,
            ...postContent(remote.childContainerIds),
          },
          schema: z.unknown(),
        }));
      } catch (error) {
        throw duplicateOrSame(error);
      }
      const urn = headers.get('x-restli-id') ?? '';
      if (!POST_URN.test(urn))
        // The post exists but its id is unknown: let publishing report it as unconfirmed, never post again.
        throw new TransientError({
          provider: 'linkedin',
          code: 'linkedin:no_post_id',
          reason: 'no_post_id',
          userMessage: 'LinkedIn created the post without saying which it is.',
          detail: `x-restli-id: ${urn || '(missing)'}`,
        });
      return { remoteId: urn };
    },

    async permalink({ remoteId }) {
      return postUrl(remoteId);
    },
  };
}

/**
 * LinkedIn's 422 for text the author posted moments ago names the earlier post. That post may be
 * another one with the same words, so the target is not taken as published: the error links it.
 */
function duplicateOrSame(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.status !== 422) return error;
  const earlier = DUPLICATE.exec(error.message)?.[1];
  if (!earlier) return error;
  return new RejectedError({
    provider: 'linkedin',
    code: 'linkedin:duplicate_post',
    reason: 'duplicate_post',
    userMessage: `LinkedIn refused this post as a duplicate of one this account just published (${postUrl(earlier)}). Change the text to post it again.`,
    detail: error.message,
    status: 422,
  });
}
