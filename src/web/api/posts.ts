import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatePostBody, Post, PostList, PostValidation, TargetStatus } from '../../contracts/posts.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

const postPath = (id: string) => `/api/posts/${encodeURIComponent(id)}`;

/** How often a post is read again while something about it is about to change. */
export const LIVE_POLL_MS = 2_500;
/** A scheduled target this close to its time (or past it) counts as about to change. */
const SOON_MS = 60_000;
/** The longest wait between reads while anything is still scheduled. */
const SCHEDULED_POLL_MS = 60_000;

const MOVING: ReadonlySet<TargetStatus> = new Set(['publishing', 'processing']);

/**
 * When to read the posts again: every few seconds while a target is publishing, processing or
 * due within a minute; shortly before the next scheduled one is due; never once all have settled.
 */
export function pollInterval(posts: readonly Post[], now: number = Date.now()): number | false {
  let wait = Number.POSITIVE_INFINITY;
  for (const post of posts) {
    for (const target of post.targets) {
      if (MOVING.has(target.status)) return LIVE_POLL_MS;
      if (target.status === 'scheduled') wait = Math.min(wait, new Date(post.scheduledAt).getTime() - now - SOON_MS);
    }
  }
  if (wait === Number.POSITIVE_INFINITY) return false;
  return Math.min(Math.max(wait, LIVE_POLL_MS), SCHEDULED_POLL_MS);
}

/** Whether any target of the posts is still on its way (scheduled, publishing or processing). */
export const isUnsettled = (posts: readonly Post[]): boolean =>
  posts.some((post) => post.targets.some((target) => target.status === 'scheduled' || MOVING.has(target.status)));

export interface PostFilter {
  status?: TargetStatus;
  limit?: number;
}

/** The statuses of every target of the posts, as one string: it changes when any status does. */
export const statusSignature = (posts: readonly Post[]): string =>
  posts.map((post) => `${post.id}:${post.targets.map((target) => target.status).join(',')}`).join('|');

/** Posts (latest scheduled first), read again on their own while any of them is changing. */
export function usePosts(filter: PostFilter) {
  return useQuery({
    queryKey: queryKeys.postList(filter),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams();
      if (filter.status) params.set('status', filter.status);
      if (filter.limit) params.set('limit', String(filter.limit));
      const search = params.toString();
      return api.get<PostList>(`/api/posts${search ? `?${search}` : ''}`, signal);
    },
    select: (data) => data.posts,
    refetchInterval: (query) => pollInterval(query.state.data?.posts ?? []),
    // Statuses change without the user doing anything: never show a list older than its poll.
    staleTime: 0,
  });
}

/** One post, polled like the lists while it is changing. */
export function usePost(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.post(id),
    queryFn: ({ signal }) => api.get<Post>(postPath(id), signal),
    refetchInterval: (query) => pollInterval(query.state.data ? [query.state.data] : []),
    staleTime: 0,
    enabled,
  });
}

/** Stores what the server answered for a post, then lets every posts query read again. */
function usePostAnswer() {
  const queryClient = useQueryClient();
  return (post: Post) => {
    queryClient.setQueryData(queryKeys.post(post.id), post);
    return queryClient.invalidateQueries({ queryKey: queryKeys.posts });
  };
}

/** Creates a post (now, or at `scheduledAt`); a refusal carries each target's problems in `details`. */
export function useCreatePost() {
  const stored = usePostAnswer();
  return useMutation({
    mutationFn: (body: CreatePostBody) => api.post<Post>('/api/posts', body),
    onSuccess: stored,
  });
}

/**
 * What the server would refuse in a post, without creating it (`POST /api/posts/validate`); the
 * last answer stays while the next one loads. `null` asks nothing.
 */
export function usePostCheck(body: CreatePostBody | null) {
  return useQuery({
    queryKey: queryKeys.postCheck(body ?? {}),
    queryFn: () => api.post<PostValidation>('/api/posts/validate', body),
    select: (data) => data.problems,
    enabled: body !== null,
    placeholderData: keepPreviousData,
  });
}

/** Cancels the targets that have not started publishing. */
export function useCancelPost() {
  const stored = usePostAnswer();
  return useMutation({
    mutationFn: (id: string) => api.delete<Post>(postPath(id)),
    onSuccess: stored,
  });
}

/** Publishes a failed target again. */
export function useRetryTarget() {
  const stored = usePostAnswer();
  return useMutation({
    mutationFn: ({ postId, targetId }: { postId: string; targetId: string }) =>
      api.post<Post>(`${postPath(postId)}/targets/${encodeURIComponent(targetId)}/retry`),
    onSuccess: stored,
  });
}
