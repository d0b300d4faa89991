import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Media, MediaList } from '../../../contracts/media.ts';
import { api } from '../../api/client.ts';

/**
 * TEMPORARY: reads of the media library, until the media library's web client
 * (src/web/api/media.ts) lands with its own hooks and query keys.
 */
const LIBRARY_KEY = ['media'] as const;

/** The library, newest first, a page at a time. */
export function useMediaLibrary(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...LIBRARY_KEY, 'list'],
    queryFn: ({ pageParam, signal }) =>
      api.get<MediaList>(`/api/media${pageParam ? `?${new URLSearchParams({ cursor: pageParam })}` : ''}`, signal),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

/** One file of the library (a file never changes, so it is read once). */
export function useMediaItem(id: string | undefined) {
  return useQuery({
    queryKey: [...LIBRARY_KEY, 'detail', id],
    queryFn: ({ signal }) => api.get<Media>(`/api/media/${encodeURIComponent(id ?? '')}`, signal),
    enabled: id !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
