import type { MantineColor } from '@mantine/core';
import type { TargetStatus } from '../../../contracts/posts.ts';

export const TARGET_STATUS_BADGES: Record<TargetStatus, { label: string; color: MantineColor; moving?: boolean }> = {
  scheduled: { label: 'Scheduled', color: 'blue' },
  publishing: { label: 'Publishing', color: 'indigo', moving: true },
  processing: { label: 'Processing', color: 'cyan', moving: true },
  published: { label: 'Published', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  canceled: { label: 'Canceled', color: 'gray' },
};

/** The views of the Posts page, in the address as `?view=`. */
export const POST_VIEWS = ['all', 'upcoming', 'published', 'failed'] as const;
export type PostView = (typeof POST_VIEWS)[number];

export const VIEW_LABELS: Record<PostView, string> = {
  all: 'All',
  upcoming: 'Upcoming',
  published: 'Published',
  failed: 'Failed',
};

/** The target status each view asks the API for (posts with at least one target in it). */
export const VIEW_STATUS: Record<PostView, TargetStatus | undefined> = {
  all: undefined,
  upcoming: 'scheduled',
  published: 'published',
  failed: 'failed',
};

export const VIEW_EMPTY: Record<PostView, { title: string; description: string }> = {
  all: { title: 'No posts yet', description: 'Write a post, pick your accounts, and publish it now or later.' },
  upcoming: { title: 'Nothing scheduled', description: 'Posts you schedule for later wait here until their time.' },
  published: { title: 'Nothing published yet', description: 'Published posts show here with a link to each one.' },
  failed: {
    title: 'No failed posts',
    description: 'When publishing to an account fails, it shows here with what went wrong and a way to retry.',
  },
};

export const isPostView = (value: string | null): value is PostView =>
  value !== null && (POST_VIEWS as readonly string[]).includes(value);
