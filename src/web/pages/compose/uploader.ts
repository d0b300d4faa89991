import type { Media } from '../../../contracts/media.ts';
import { ApiError } from '../../api/client.ts';
import type { Uploader } from './use-picked-media.ts';

/**
 * TEMPORARY: the composer's upload, until the media library's web client (src/web/api/media.ts)
 * lands; then this file only adapts that client to {@link Uploader}.
 */
export const uploadForComposer: Uploader = (file, { onProgress, signal }) =>
  new Promise<Media>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/media');
    request.setRequestHeader('accept', 'application/json');
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.response as { error?: { code: string; message: string } } | null;
      if (request.status === 201) resolve(body as unknown as Media);
      else
        reject(
          new ApiError(
            request.status,
            body?.error?.code ?? 'HTTP_ERROR',
            body?.error?.message ?? `The upload failed (HTTP ${request.status}).`,
          ),
        );
    };
    request.onerror = () =>
      reject(new ApiError(0, 'NETWORK_ERROR', 'Could not reach the server. Check your connection and try again.'));
    signal.addEventListener('abort', () => {
      request.abort();
      reject(new DOMException('The upload was canceled.', 'AbortError'));
    });
    const form = new FormData();
    form.append('file', file);
    request.send(form);
  });
