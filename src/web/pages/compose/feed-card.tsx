import { Avatar, Box, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { MediaGrid } from './media-grid.tsx';
import type { PreviewItem } from './post-preview.tsx';
import { truncate } from './truncate.ts';

export interface FeedCardProps {
  /** The accessible name of the figure, e.g. "LinkedIn preview of the post". */
  label: string;
  name: string;
  avatarUrl: string | null;
  /** The line under the name: "Just now · Public". */
  byline: string;
  caption: string;
  items: PreviewItem[];
  /** How much text shows before the platform's "more" link. */
  fold: { chars: number; lines: number; link: string };
  /** One image's shape, within these bounds. */
  aspect: { min: number; max: number };
  actions: string[];
  avatarRadius: 'xl' | 'sm';
}

/** A post in a Facebook or LinkedIn feed, roughly: who posts, the text, the images, the actions. */
export function FeedCard({
  label,
  name,
  avatarUrl,
  byline,
  caption,
  items,
  fold,
  aspect,
  actions,
  avatarRadius,
}: FeedCardProps) {
  const { text, more } = truncate(caption, fold);
  return (
    <Paper withBorder radius="md" maw={360} w="100%" style={{ overflow: 'hidden' }} role="figure" aria-label={label}>
      <Stack gap={0}>
        <Group gap={8} wrap="nowrap" px="sm" pt="sm" pb={6}>
          <Avatar src={avatarUrl} alt="" size={36} radius={avatarRadius} name={name} color="initials" />
          <Box miw={0}>
            <Text size="sm" fw={600} truncate="end">
              {name}
            </Text>
            <Text size="xs" c="dimmed">
              {byline}
            </Text>
          </Box>
        </Group>
        {text && (
          <Text size="sm" px="sm" pb="xs" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
            {text}
            {more && (
              <Text span c="dimmed" inherit>
                {fold.link}
              </Text>
            )}
          </Text>
        )}
        <MediaGrid items={items} aspect={aspect} />
        <Group justify="space-around" py={6} px="sm" aria-hidden="true" style={borderTop}>
          {actions.map((action) => (
            <Text key={action} size="xs" fw={600} c="dimmed">
              {action}
            </Text>
          ))}
        </Group>
      </Stack>
    </Paper>
  );
}

const borderTop = { borderTop: '1px solid var(--mantine-color-gray-3)' };

/** Who posts and what, for a platform's preview. */
export interface PlatformPreviewProps {
  name: string;
  avatarUrl: string | null;
  caption: string;
  items: PreviewItem[];
}

/** Facebook shows a Page post's first few lines, then "See more"; several images as a grid. */
export function FacebookPreview(props: PlatformPreviewProps): ReactNode {
  return (
    <FeedCard
      {...props}
      label="Facebook Page preview of the post"
      byline="Just now · Public"
      fold={{ chars: 250, lines: 4, link: '… See more' }}
      aspect={{ min: 4 / 5, max: 1.91 }}
      actions={['Like', 'Comment', 'Share']}
      avatarRadius="xl"
    />
  );
}

/** LinkedIn shows about three lines, then "…see more"; several images as a grid. A Page's logo is square. */
export function LinkedInPreview({
  organization,
  ...props
}: PlatformPreviewProps & { organization: boolean }): ReactNode {
  return (
    <FeedCard
      {...props}
      label="LinkedIn preview of the post"
      byline="Just now · Anyone"
      fold={{ chars: 210, lines: 3, link: '…see more' }}
      aspect={{ min: 3 / 4, max: 1.91 }}
      actions={['Like', 'Comment', 'Repost', 'Send']}
      avatarRadius={organization ? 'sm' : 'xl'}
    />
  );
}
