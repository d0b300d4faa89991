import { graphErrors } from '../core/graph.ts';
import { SANDBOX_HOSTS } from '../core/hosts.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { GraphHost } from './auth.ts';
import { checkCaption } from './caption.ts';
import { containersInWindow, newContainerId, settle } from './containers.ts';
import { fetchImage, fetchVideo, REELS_RULES, STORY_RULES, type VideoSource, videoProblem } from './media-fetch.ts';
import type { InstagramContainer } from './model.ts';
import { errorStatusText, publishErrors, UNSUPPORTED_VIDEO_SUBCODE } from './publish-errors.ts';

const MAX_ALT_TEXT_CHARS = 1_000;
const MIN_CAROUSEL_ITEMS = 2;
const MAX_CAROUSEL_ITEMS = 10;

type Params = Record<string, string>;

const flag = (params: Params, name: string): boolean | undefined => {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw graphErrors.invalidParameter(`Param ${name} must be a boolean`);
};

/** `children` as a comma-separated list or a JSON array (what a JSON body becomes in graphParams). */
function childIds(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  if (raw.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      throw graphErrors.invalidParameter('Param children must be a list of container ids');
    }
  }
  return raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

/** Which video rules a container's video must meet: stories have their own (reference §4.6). */
const rulesFor = (container: InstagramContainer) => (container.mediaType === 'STORIES' ? STORY_RULES : REELS_RULES);

/**
 * Takes a container's video in: an unusable file puts it in ERROR with 352/2207026 (as Meta
 * reports processing failures, through the status), a good one starts processing.
 */
export function receiveVideo(sandbox: Sandbox, container: InstagramContainer, source: VideoSource): void {
  container.videoReceived = true;
  const problem = videoProblem(source, rulesFor(container));
  const thumbOffset = container.thumbOffsetMs;
  const durationMs = source.info.durationMs;
  if (problem) {
    container.status = 'ERROR';
    container.errorSubcode = UNSUPPORTED_VIDEO_SUBCODE;
    container.statusText = errorStatusText(`Unsupported video: ${problem}`, UNSUPPORTED_VIDEO_SUBCODE);
    container.readyAt = null;
  } else if (thumbOffset !== undefined && durationMs !== undefined && thumbOffset > durationMs) {
    container.status = 'ERROR';
    container.errorSubcode = 2207057;
    container.statusText = errorStatusText('The thumbnail offset is beyond the end of the video', 2207057);
    container.readyAt = null;
  } else {
    container.status = 'IN_PROGRESS';
    container.readyAt = sandbox.clock.now() + sandbox.instagram.settings.videoProcessingMs;
    settle(sandbox, container);
  }
}

/** The carousel's children: 2–10 finished carousel items of the same account. */
function checkChildren(sandbox: Sandbox, accountId: string, ids: string[]): void {
  if (ids.length < MIN_CAROUSEL_ITEMS || ids.length > MAX_CAROUSEL_ITEMS) throw publishErrors.carouselSize();
  for (const id of ids) {
    const child = sandbox.instagram.containers.get(id);
    if (!child || child.accountId !== accountId || !child.isCarouselItem) throw publishErrors.notFound(id);
    const status = settle(sandbox, child);
    if (status === 'EXPIRED') throw publishErrors.expired(id);
    if (status !== 'FINISHED') throw publishErrors.notReady(id);
  }
}

/**
 * `POST /{ig-user-id}/media` (reference §4.1): validates the request, fetches the media like
 * Meta's servers do, and returns the new container (not yet stored).
 */
export async function createContainer(input: {
  sandbox: Sandbox;
  host: GraphHost;
  accountId: string;
  params: Params;
}): Promise<InstagramContainer> {
  const { sandbox, host, accountId, params } = input;
  const { settings } = sandbox.instagram;
  if (containersInWindow(sandbox, accountId) >= settings.containerCapPer24h)
    throw publishErrors.containerCap(settings.containerCapPer24h);

  const mediaType = params.media_type ?? 'IMAGE';
  const isCarouselItem = flag(params, 'is_carousel_item') ?? false;
  if (params.upload_type !== undefined && params.upload_type !== 'resumable')
    throw graphErrors.invalidParameter('Param upload_type must be resumable');
  const resumable = params.upload_type === 'resumable';
  const now = sandbox.clock.now();
  const container: InstagramContainer = {
    id: newContainerId(),
    accountId,
    mediaType: 'IMAGE',
    isCarouselItem,
    children: [],
    resumable,
    videoReceived: false,
    status: 'FINISHED',
    createdAt: now,
    readyAt: now,
    host: SANDBOX_HOSTS[host].host,
  };
  const timeoutMs = settings.mediaFetchTimeoutMs;

  const withCaption = () => {
    checkCaption(params.caption);
    container.caption = params.caption;
  };
  const takeImage = async (checkAspectRatio: boolean) => {
    if (resumable) throw graphErrors.invalidParameter('Resumable upload is only for videos');
    if (!params.image_url) throw graphErrors.missingParameter('image_url');
    await fetchImage(params.image_url, { checkAspectRatio, timeoutMs });
    container.imageUrl = params.image_url;
  };
  const takeVideo = async () => {
    const thumbOffset = params.thumb_offset;
    if (thumbOffset !== undefined) {
      if (!/^\d+$/.test(thumbOffset)) throw publishErrors.thumbOffset();
      container.thumbOffsetMs = Number(thumbOffset);
    }
    if (params.cover_url) {
      await fetchImage(params.cover_url, { checkAspectRatio: false, timeoutMs });
      container.coverUrl = params.cover_url;
    }
    container.status = 'IN_PROGRESS';
    container.readyAt = null;
    if (resumable) return;
    if (!params.video_url) throw graphErrors.missingParameter('video_url');
    container.videoUrl = params.video_url;
    receiveVideo(sandbox, container, await fetchVideo(params.video_url, rulesFor(container).maxBytes, timeoutMs));
  };

  switch (mediaType) {
    case 'IMAGE':
      if (params.alt_text !== undefined && [...params.alt_text].length > MAX_ALT_TEXT_CHARS)
        throw graphErrors.invalidParameter(`Param alt_text must be at most ${MAX_ALT_TEXT_CHARS} characters`);
      container.altText = params.alt_text;
      if (!isCarouselItem) withCaption();
      await takeImage(true);
      break;
    case 'REELS':
      if (isCarouselItem) throw publishErrors.unknownMediaType('Reels cannot be carousel items.');
      container.mediaType = 'REELS';
      container.shareToFeed = flag(params, 'share_to_feed');
      withCaption();
      await takeVideo();
      break;
    case 'STORIES':
      container.mediaType = 'STORIES';
      if (params.image_url) await takeImage(false);
      else await takeVideo();
      break;
    case 'VIDEO':
      if (!isCarouselItem)
        throw publishErrors.unknownMediaType(
          'The VIDEO media type is only for carousel items; publish single videos as REELS.',
        );
      container.mediaType = 'VIDEO';
      await takeVideo();
      break;
    case 'CAROUSEL': {
      if (resumable) throw graphErrors.invalidParameter('Resumable upload is only for videos');
      container.mediaType = 'CAROUSEL';
      withCaption();
      const children = childIds(params.children);
      checkChildren(sandbox, accountId, children);
      container.children = children;
      break;
    }
    default:
      throw publishErrors.unknownMediaType(`The media type ${mediaType} is not supported.`);
  }
  return container;
}
