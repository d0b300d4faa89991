import { useEffect, useRef, useState } from 'react';
import type { Media } from '../../../contracts/media.ts';
import type { MediaKind } from '../../../contracts/posts.ts';
import { POST_MEDIA_MAX } from '../../../contracts/posts.ts';
import { errorMessage } from '../../api/client.ts';
import type { PickedMedia } from './media-picker.tsx';

/** Uploads one file, reporting progress from 0 to 1; rejects when aborted or refused. */
export type Uploader = (
  file: File,
  options: { onProgress: (fraction: number) => void; signal: AbortSignal },
) => Promise<Media>;

const THUMBNAIL_SIZE = 208;

/**
 * A small JPEG data: URL of an image, to show while it uploads (the CSP allows data: images but
 * not blob: URLs). Null for videos and for images the browser cannot decode (HEIC in most).
 */
async function localThumbnail(file: File): Promise<string | null> {
  if (!file.type.startsWith('image/')) return null;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = THUMBNAIL_SIZE / Math.min(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * Math.min(scale, 1)));
    canvas.height = Math.max(1, Math.round(bitmap.height * Math.min(scale, 1)));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return canvas.toDataURL('image/jpeg', 0.7);
  } catch {
    return null;
  }
}

/** What a file will be in the library, judged from its type or name until the server says. */
const fileKind = (file: File): MediaKind =>
  file.type.startsWith('video/') || /\.(mov|mp4|m4v)$/i.test(file.name) ? 'video' : 'image';

let nextKey = 0;
const newKey = () => `picked-${++nextKey}`;

/**
 * The files of the post being composed, in order: uploads with their progress (aborted when
 * removed or when the page is left), files from the library, reorder and remove.
 */
export function usePickedMedia(upload: Uploader) {
  const [items, setItems] = useState<PickedMedia[]>([]);
  const controllers = useRef(new Map<string, AbortController>());

  useEffect(() => {
    const running = controllers.current;
    return () => {
      for (const controller of running.values()) controller.abort();
      running.clear();
    };
  }, []);

  const update = (key: string, change: Partial<PickedMedia>) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  /** How many more files fit; the rest are left out (the caller is told how many). */
  const room = () => POST_MEDIA_MAX - items.length;

  const addFiles = (files: File[]): number => {
    const accepted = files.slice(0, Math.max(0, room()));
    const added = accepted.map((file) => ({ file, key: newKey() }));
    setItems((current) => [
      ...current,
      ...added.map(({ file, key }) => ({
        key,
        name: file.name,
        status: 'uploading' as const,
        kind: fileKind(file),
        progress: 0,
        thumbnail: null,
        media: null,
        error: null,
      })),
    ]);
    for (const { file, key } of added) {
      const controller = new AbortController();
      controllers.current.set(key, controller);
      void localThumbnail(file).then((thumbnail) => {
        if (thumbnail && !controller.signal.aborted) update(key, { thumbnail });
      });
      upload(file, { onProgress: (progress) => update(key, { progress }), signal: controller.signal }).then(
        (media) => {
          controllers.current.delete(key);
          update(key, { status: 'ready', progress: 1, media, kind: media.kind });
        },
        (error: unknown) => {
          controllers.current.delete(key);
          if (!controller.signal.aborted) update(key, { status: 'failed', error: errorMessage(error) });
        },
      );
    }
    return files.length - accepted.length;
  };

  const addFromLibrary = (picked: Media[]): number => {
    const fresh = picked.filter((media) => !items.some((item) => item.media?.id === media.id));
    const accepted = fresh.slice(0, Math.max(0, room()));
    setItems((current) => [
      ...current,
      ...accepted.map((media) => ({
        key: newKey(),
        name: media.fileName ?? `${media.kind === 'video' ? 'Video' : 'Image'} ${media.id.slice(0, 8)}`,
        status: 'ready' as const,
        kind: media.kind,
        progress: 1,
        thumbnail: null,
        media,
        error: null,
      })),
    ]);
    return fresh.length - accepted.length;
  };

  const remove = (key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    setItems((current) => current.filter((item) => item.key !== key));
  };

  const move = (key: string, delta: -1 | 1) =>
    setItems((current) => {
      const from = current.findIndex((item) => item.key === key);
      const to = from + delta;
      if (from === -1 || to < 0 || to >= current.length) return current;
      const next = [...current];
      const [item] = next.splice(from, 1);
      if (item) next.splice(to, 0, item);
      return next;
    });

  return { items, addFiles, addFromLibrary, remove, move };
}
