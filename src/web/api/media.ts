import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Media, MediaList } from '../../contracts/media.ts';
import { ApiError, api } from './client.ts';
import { queryKeys } from './query-keys.ts';

export interface UploadProgress {
  /** Bytes of the request sent so far, and in all (the file plus a little multipart framing). */
  loaded: number;
  total: number;
  /** From 0 to 1. */
  fraction: number;
}

export interface UploadOptions {
  /** Called as the browser sends the file (XMLHttpRequest upload progress events). */
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting cancels the upload; the promise then rejects with an `AbortError` DOMException. */
  signal?: AbortSignal;
}

/** MEDIA_UPLOAD_FIELD of contracts/media.ts, repeated: that module brings zod into the bundle. */
const UPLOAD_FIELD = 'file';

const NETWORK_ERROR_MESSAGE = 'Could not reach the server. Check your connection and try again.';

function uploadError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code === 'string' && typeof error.message === 'string')
    return new ApiError(status, error.code, error.message);
  if (status === 413)
    return new ApiError(status, 'PAYLOAD_TOO_LARGE', 'The file is too large for this server. Export it smaller.');
  return new ApiError(
    status,
    'HTTP_ERROR',
    status >= 500
      ? 'The server ran into a problem. Please try again in a moment.'
      : `The upload failed (HTTP ${status}).`,
  );
}

/**
 * Uploads one file to the signed-in user's library (`POST /api/media`) and resolves with the
 * stored media. Uses XMLHttpRequest because `fetch` reports no upload progress. Rejects with an
 * {@link ApiError} carrying the server's code and message (415 for a format Tether does not
 * take, 413 for a file over the limits, 422 for a damaged file).
 */
export function uploadMedia(file: Blob, { onProgress, signal }: UploadOptions = {}): Promise<Media> {
  return new Promise<Media>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was canceled.', 'AbortError'));
      return;
    }
    const request = new XMLHttpRequest();
    const onAbort = () => request.abort();
    const settle = () => signal?.removeEventListener('abort', onAbort);
    request.open('POST', '/api/media');
    request.setRequestHeader('accept', 'application/json');
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0)
        onProgress?.({ loaded: event.loaded, total: event.total, fraction: event.loaded / event.total });
    };
    request.onload = () => {
      settle();
      if (request.status === 201) resolve(request.response as Media);
      else reject(uploadError(request.status, request.response));
    };
    request.onerror = () => {
      settle();
      reject(new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE));
    };
    request.onabort = () => {
      settle();
      reject(new DOMException('The upload was canceled.', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const form = new FormData();
    form.append(UPLOAD_FIELD, file, file instanceof File ? file.name : 'upload');
    request.send(form);
  });
}

/** The library, newest first, a page at a time (`fetchNextPage` while `hasNextPage`). */
export function useMediaLibrary({ enabled = true }: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: queryKeys.mediaList,
    queryFn: ({ pageParam, signal }) =>
      api.get<MediaList>(`/api/media${pageParam ? `?${new URLSearchParams({ cursor: pageParam })}` : ''}`, signal),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

/** One file of the library. A stored file never changes, so it is read once. */
export function useMediaItem(id: string | undefined) {
  return useQuery({
    queryKey: queryKeys.mediaItem(id ?? ''),
    queryFn: ({ signal }) => api.get<Media>(`/api/media/${encodeURIComponent(id ?? '')}`, signal),
    enabled: id !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Uploads a file (with progress, see {@link uploadMedia}) and refreshes the library. */
export function useUploadMedia() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, ...options }: { file: Blob } & UploadOptions) => uploadMedia(file, options),
    onSuccess: (media) => {
      queryClient.setQueryData(queryKeys.mediaItem(media.id), media);
      return queryClient.invalidateQueries({ queryKey: queryKeys.mediaList });
    },
  });
}

/** Deletes a file; the server refuses (409 `MEDIA_IN_USE`) while a post still to be published uses it. */
export function useDeleteMedia() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/media/${encodeURIComponent(id)}`),
    onSuccess: (_result, id) => {
      queryClient.removeQueries({ queryKey: queryKeys.mediaItem(id) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.mediaList });
    },
  });
}
