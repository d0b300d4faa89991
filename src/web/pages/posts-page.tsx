import { Button, Card, EmptyState, Group, Paper, Skeleton, Stack, Tabs, Text, VisuallyHidden } from '@mantine/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Post } from '../../contracts/posts.ts';
import { statusSignature, usePost, usePosts } from '../api/posts.ts';
import { OutlineIcon } from '../components/outline-icon.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { ErrorAlert } from '../components/page-status.tsx';
import { COMPOSE_PATH, POSTS_PATH, POSTS_POST_PARAM, POSTS_VIEW_PARAM } from '../lib/publishing-paths.ts';
import { useModalItem } from '../lib/use-modal-item.ts';
import { CancelPostModal } from './posts/cancel-post-modal.tsx';
import { PostCard } from './posts/post-card.tsx';
import { isPostView, POST_VIEWS, type PostView, VIEW_EMPTY, VIEW_LABELS, VIEW_STATUS } from './posts/post-labels.ts';

/** The API's largest page: the lists show this many posts at most. */
const LIMIT = 100;

function PostsIcon() {
  return (
    <OutlineIcon>
      <rect x="3" y="3" width="18" height="18" rx="3" />
      <path d="M3 15l5-5 4 4 3-3 6 6" />
      <circle cx="15.5" cy="8.5" r="1.5" />
    </OutlineIcon>
  );
}

function PostsSkeleton() {
  return (
    <Stack gap="md" role="status" aria-busy="true">
      <VisuallyHidden>Loading posts</VisuallyHidden>
      {['first', 'second'].map((key) => (
        <Card key={key} withBorder radius="md" padding="md">
          <Group gap="md" wrap="nowrap" align="flex-start">
            <Skeleton height={72} width={72} radius="md" />
            <Stack gap={8} style={{ flex: 1 }}>
              <Skeleton height={12} width="40%" />
              <Skeleton height={14} width="90%" />
              <Skeleton height={24} width="60%" />
            </Stack>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

/** A post the user acted on in this view, still shown (and followed) after it left the view's filter. */
function KeptPost({ id, ...actions }: { id: string; onCancel: (post: Post) => void; onRetry: (post: Post) => void }) {
  const { data } = usePost(id);
  return data ? <PostCard post={data} {...actions} /> : null;
}

interface Row {
  id: string;
  /** Absent for a kept post that left the list: it is read on its own. */
  post?: Post;
}

/** The view's posts in order (Upcoming soonest first, the others latest first), kept posts where they were. */
function arrange(view: PostView, loaded: Post[], kept: ReadonlyMap<string, number>): Row[] {
  const posts = view === 'upcoming' ? [...loaded].sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt)) : loaded;
  const rows: Row[] = posts.map((post) => ({ id: post.id, post }));
  for (const [id, index] of kept) {
    if (!rows.some((row) => row.id === id)) rows.splice(Math.min(index, rows.length), 0, { id });
  }
  return rows;
}

/**
 * One view's list. A post canceled or retried here stays where it was for as long as the view is
 * open (as Canceled, or publishing again), rather than vanishing from under the pointer.
 */
function PostsView({ view, everything }: { view: PostView; everything: string }) {
  const query = usePosts({ status: VIEW_STATUS[view], limit: LIMIT });
  // A filtered view (say, Failed) reads again whenever any post changes status, so a post that
  // joins it shows up: its own polling only follows the posts already in it.
  const { refetch } = query;
  const seen = useRef(everything);
  useEffect(() => {
    if (seen.current === everything) return;
    seen.current = everything;
    if (view !== 'all') void refetch();
  }, [everything, view, refetch]);
  const canceling = useModalItem<Post>();
  const [kept, setKept] = useState<ReadonlyMap<string, number>>(new Map());
  const rows = query.data ? arrange(view, query.data, kept) : [];
  const keep = (post: Post) =>
    setKept((current) => {
      if (current.has(post.id)) return current;
      const index = rows.findIndex((row) => row.id === post.id);
      return new Map(current).set(post.id, index === -1 ? rows.length : index);
    });

  const onCancel = (post: Post) => {
    keep(post);
    canceling.open(post);
  };

  let content: ReactNode;
  if (query.isPending) content = <PostsSkeleton />;
  else if (query.isError)
    content = (
      <ErrorAlert
        title="Could not load your posts"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  // Empty only when nothing is kept either: a post canceled here stays until the view changes.
  else if (rows.length === 0)
    content = (
      <Paper withBorder radius="md" p="xl">
        <EmptyState icon={<PostsIcon />} variant="light" {...VIEW_EMPTY[view]}>
          <EmptyState.Actions>
            <Button component={Link} to={COMPOSE_PATH}>
              Write a post
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    );
  else
    content = (
      <Stack gap="md">
        {rows.map((row) =>
          row.post ? (
            <PostCard key={row.id} post={row.post} onCancel={onCancel} onRetry={keep} />
          ) : (
            <KeptPost key={row.id} id={row.id} onCancel={onCancel} onRetry={keep} />
          ),
        )}
        {query.data.length >= LIMIT && (
          <Text size="sm" c="dimmed" ta="center">
            Showing the latest {LIMIT} posts.
          </Text>
        )}
      </Stack>
    );

  return (
    <>
      {content}
      <CancelPostModal modal={canceling} />
    </>
  );
}

/** One post on its own, as a notification about it opens it. */
function OnePost({ id }: { id: string }) {
  const query = usePost(id);
  const canceling = useModalItem<Post>();
  return (
    <Stack gap="md">
      <Group>
        <Button component={Link} to={POSTS_PATH} variant="subtle" size="xs">
          All posts
        </Button>
      </Group>
      {query.isPending ? (
        <PostsSkeleton />
      ) : query.isError ? (
        <ErrorAlert
          title="Could not load this post"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <PostCard post={query.data} onCancel={canceling.open} />
      )}
      <CancelPostModal modal={canceling} />
    </Stack>
  );
}

/** Published, scheduled and failed posts with each account's status, updating while they publish. */
export function PostsPage() {
  const [search, setSearch] = useSearchParams();
  const param = search.get(POSTS_VIEW_PARAM);
  const view: PostView = isPostView(param) ? param : 'all';
  const onePost = search.get(POSTS_POST_PARAM);
  // The All list (the All view's own query, polled while anything is on its way) tells the
  // other views when a status changed.
  const everything = usePosts({ limit: LIMIT });
  const signature = statusSignature(everything.data ?? []);

  const onView = (next: string | null) => {
    if (isPostView(next)) setSearch(next === 'all' ? {} : { [POSTS_VIEW_PARAM]: next }, { replace: true });
  };

  return (
    <Stack gap="lg" maw={900}>
      <Group justify="space-between" align="flex-end" gap="md">
        <PageHeader title="Posts" description="What you published or scheduled, and how it went on each account." />
        <Button component={Link} to={COMPOSE_PATH}>
          New post
        </Button>
      </Group>
      {onePost ? (
        <OnePost id={onePost} />
      ) : (
        <Tabs value={view} onChange={onView} keepMounted={false}>
          <Tabs.List mb="md">
            {POST_VIEWS.map((item) => (
              <Tabs.Tab key={item} value={item}>
                {VIEW_LABELS[item]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {POST_VIEWS.map((item) => (
            <Tabs.Panel key={item} value={item}>
              <PostsView view={item} everything={signature} />
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}
