import type { FastifyInstance } from 'fastify';
import { GraphError, graphErrors } from '../core/graph.ts';
import { numericId } from '../core/ids.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { FacebookPagePost } from './model.ts';
import { authorizePagePublishing, isHttpUrl, parsePublished, parseScheduledTime } from './page-access.ts';
import { checkPhotoBytes, fetchPhoto } from './photo-source.ts';

const newPostId = (pageId: string) => `${pageId}_${numericId('122', 17)}`;

/** `attached_media[0]={"media_fbid":"…"}` form fields, or an `attached_media` JSON array. */
function attachedMediaIds(params: Record<string, string>): string[] {
  const entries: Array<[number, string]> = [];
  for (const [key, value] of Object.entries(params)) {
    const index = /^attached_media\[(\d+)\]$/.exec(key)?.[1];
    if (index !== undefined) entries.push([Number(index), value]);
  }
  if (params.attached_media) {
    const list: unknown = safeJson(params.attached_media);
    if (!Array.isArray(list)) throw graphErrors.invalidParameter('param attached_media must be an array');
    for (const [index, item] of list.entries()) entries.push([index, JSON.stringify(item)]);
  }
  return entries
    .sort(([a], [b]) => a - b)
    .map(([index, value]) => {
      const id = (safeJson(value) as { media_fbid?: unknown } | undefined)?.media_fbid;
      if (typeof id !== 'string' && typeof id !== 'number')
        throw graphErrors.invalidParameter(`param attached_media[${index}] must be an object with a media_fbid`);
      return String(id);
    });
}

const safeJson = (value: string): unknown => {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
};

/** Page publishing with a Page token: feed posts, photos and videos (reference §7). */
export async function facebookPublishRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  const model = sandbox.facebook;
  const record = (post: FacebookPagePost) => {
    model.posts.push(post);
    return post;
  };

  app.post('/:id/feed', { config: { endpoint: 'graph.page.feed.create' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { params, page } = authorizePagePublishing(sandbox, request, reply, id);
    const published = parsePublished(params.published);
    const scheduled = parseScheduledTime(sandbox, params.scheduled_publish_time, published);
    const media = attachedMediaIds(params);
    const message = params.message || undefined;
    const link = params.link || undefined;
    if (link && !isHttpUrl(link)) throw graphErrors.invalidParameter('link URL is not properly formatted');
    if (!message && !link && !media.length) throw graphErrors.invalidParameter('Missing message or attachment');
    media.forEach((mediaId, index) => {
      const photo = model.posts.find((post) => post.kind === 'photo' && post.mediaId === mediaId);
      if (!photo || photo.pageId !== page.id || photo.published)
        throw graphErrors.invalidParameter(`param attached_media[${index}] must be an unpublished photo of this Page`);
    });
    const now = sandbox.clock.now();
    // Sandbox choice: an identical message to the same Page inside the window is a duplicate (code 506).
    if (
      message &&
      model.posts.some(
        (post) =>
          post.pageId === page.id &&
          post.kind === 'feed' &&
          post.message === message &&
          now - post.createdAt < model.settings.duplicatePostWindowMs,
      )
    )
      throw new GraphError({ code: 506, message: '(#506) Duplicate status message' });
    const post = record({
      id: newPostId(page.id),
      pageId: page.id,
      kind: 'feed',
      message,
      link,
      attachedMedia: media.length ? media : undefined,
      published,
      scheduledPublishTime: scheduled,
      createdAt: now,
    });
    return { id: post.id };
  });

  app.post('/:id/photos', { config: { endpoint: 'graph.page.photos.create' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { params, source, page } = authorizePagePublishing(sandbox, request, reply, id);
    const published = parsePublished(params.published);
    const scheduled = parseScheduledTime(sandbox, params.scheduled_publish_time, published);
    if (params.url && !isHttpUrl(params.url)) throw graphErrors.invalidParameter('url should represent a valid URL');
    if (!params.url && !source) throw new GraphError({ code: 324, message: '(#324) Requires upload file' });
    if (source) checkPhotoBytes(source);
    else await fetchPhoto(params.url ?? '');
    const photoId = numericId('123', 16);
    const postId = published ? newPostId(page.id) : undefined;
    record({
      id: postId ?? photoId,
      pageId: page.id,
      kind: 'photo',
      mediaId: photoId,
      message: params.caption || params.message || undefined,
      sourceUrl: params.url || `upload:${source?.length ?? 0}`,
      published,
      scheduledPublishTime: scheduled,
      createdAt: sandbox.clock.now(),
    });
    return postId ? { id: photoId, post_id: postId } : { id: photoId };
  });

  app.post('/:id/videos', { config: { endpoint: 'graph.page.videos.create' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { params, source, page } = authorizePagePublishing(sandbox, request, reply, id);
    const published = parsePublished(params.published);
    const scheduled = parseScheduledTime(sandbox, params.scheduled_publish_time, published);
    if (params.file_url && !isHttpUrl(params.file_url))
      throw graphErrors.invalidParameter('file_url should represent a valid URL');
    if (!params.file_url && !source)
      throw new GraphError({ code: 353, message: '(#353) You must select a video file to upload.' });
    const now = sandbox.clock.now();
    const videoId = numericId('124', 16);
    record({
      id: videoId,
      pageId: page.id,
      kind: 'video',
      mediaId: videoId,
      title: params.title || undefined,
      message: params.description || undefined,
      sourceUrl: params.file_url || `upload:${source?.length ?? 0}`,
      published,
      scheduledPublishTime: scheduled,
      createdAt: now,
      readyAt: now + model.settings.videoProcessingMs,
    });
    return { id: videoId };
  });
}
