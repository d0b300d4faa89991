import { z } from 'zod';

/*
 * Responses of the Page publishing calls (reference §7), as documented.
 * https://developers.facebook.com/docs/pages-api/posts
 */

/** `POST /{page-id}/feed` → `{"id":"<page-id>_<post-id>"}` (§7.1). */
export const feedPostCreated = z.object({ id: z.string().min(1) });

/**
 * `POST /{page-id}/photos` → `{"id":"<photo-id>"}`, plus `post_id` when published (§7.2).
 * https://developers.facebook.com/docs/graph-api/reference/page/photos
 */
export const photoUploaded = z.object({ id: z.string().min(1), post_id: z.string().optional() });

/**
 * `POST /{page-id}/videos` → `{"id":"<video-id>"}`; processing goes on afterwards (§7.3).
 * https://developers.facebook.com/docs/video-api/guides/publishing
 */
export const videoCreated = z.object({ id: z.string().min(1) });
