import { DAY } from '../core/clock.ts';
import { numericId } from '../core/ids.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { ContainerStatus, InstagramContainer, InstagramMedia } from './model.ts';
import { errorStatusText } from './publish-errors.ts';

/** Unpublished containers expire 24 h after creation (reference §4.5). */
export const CONTAINER_TTL_MS = DAY;
/** The rolling window of the publishing quota and the container cap. */
export const QUOTA_WINDOW_MS = DAY;

export const newContainerId = () => numericId('17890', 17);
export const newMediaId = () => numericId('17910', 17);

/**
 * Brings a container's stored status up to the clock: a processed video becomes FINISHED, an
 * unpublished container EXPIRED after 24 h. A PUBLISHED container stays PUBLISHED, so a client
 * unsure whether its publish call went through can still find out.
 */
export function settle(sandbox: Sandbox, container: InstagramContainer): ContainerStatus {
  const now = sandbox.clock.now();
  if (container.status === 'PUBLISHED' || container.status === 'EXPIRED') return container.status;
  if (now >= container.createdAt + CONTAINER_TTL_MS) container.status = 'EXPIRED';
  else if (container.status === 'IN_PROGRESS' && container.readyAt !== null && now >= container.readyAt)
    container.status = 'FINISHED';
  return container.status;
}

/** Containers an account created inside the rolling window (the 400-per-24-h cap). */
export const containersInWindow = (sandbox: Sandbox, accountId: string) =>
  [...sandbox.instagram.containers.values()].filter(
    (container) => container.accountId === accountId && container.createdAt > sandbox.clock.now() - QUOTA_WINDOW_MS,
  ).length;

/** Posts an account published since `since` (and inside the rolling window): a carousel counts once. */
export const publishedSince = (sandbox: Sandbox, accountId: string, since = 0) => {
  const from = Math.max(since, sandbox.clock.now() - QUOTA_WINDOW_MS);
  return [...sandbox.instagram.media.values()].filter(
    (media) => media.accountId === accountId && media.publishedAt > from,
  ).length;
};

/** The human text of `status` next to `status_code` (ERROR's format is a sandbox choice, reference §10.4). */
export function statusText(container: InstagramContainer): string {
  switch (container.status) {
    case 'IN_PROGRESS':
      return container.resumable && !container.videoReceived
        ? 'In Progress: Waiting for the video upload.'
        : 'In Progress: Media is still being processed.';
    case 'FINISHED':
      return 'Finished: Media has been uploaded and it is ready to be published.';
    case 'PUBLISHED':
      return 'Published: Media has been successfully published.';
    case 'EXPIRED':
      return 'Expired: Media was not published within 24 hours.';
    case 'ERROR':
      return container.statusText ?? errorStatusText('Media processing failed', container.errorSubcode ?? 2207001);
  }
}

/** Graph's timestamp format: `2026-11-22T21:03:11+0000`. */
export const graphTimestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

/** Media ids → what `GET /{media-id}` shows; the product type tells reels and stories apart (reference §4.4). */
export function mediaKind(container: InstagramContainer): Pick<InstagramMedia, 'mediaType' | 'mediaProductType'> {
  switch (container.mediaType) {
    case 'REELS':
      return { mediaType: 'VIDEO', mediaProductType: 'REELS' };
    case 'STORIES':
      return { mediaType: container.videoUrl || container.resumable ? 'VIDEO' : 'IMAGE', mediaProductType: 'STORY' };
    case 'CAROUSEL':
      return { mediaType: 'CAROUSEL_ALBUM', mediaProductType: 'FEED' };
    case 'VIDEO':
      return { mediaType: 'VIDEO', mediaProductType: 'FEED' };
    case 'IMAGE':
      return { mediaType: 'IMAGE', mediaProductType: 'FEED' };
  }
}
