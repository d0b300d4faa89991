import { Box, Button, Card, Divider, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Post, PostTarget } from '../../../contracts/posts.ts';
import { errorMessage } from '../../api/client.ts';
import { useRetryTarget } from '../../api/posts.ts';
import { formatDateTime, formatRelative, isPast } from '../../lib/format.ts';
import { accountName } from '../settings/connected-accounts/account-name.ts';
import { PostThumbnail } from './post-thumbnail.tsx';
import { TargetRow } from './target-row.tsx';

const CAPTION_LINES = 3;

function When({ post }: { post: Post }) {
  const waiting = post.targets.some((target) => target.status === 'scheduled');
  const future = !isPast(post.scheduledAt);
  return (
    <Text size="sm" c="dimmed">
      {waiting && future ? 'Scheduled for ' : ''}
      <time dateTime={post.scheduledAt}>{formatDateTime(post.scheduledAt)}</time> ({formatRelative(post.scheduledAt)})
    </Text>
  );
}

interface PostCardProps {
  post: Post;
  onCancel: (post: Post) => void;
  /** Called as a retry starts, so the list keeps showing the post while it publishes again. */
  onRetry?: (post: Post) => void;
}

/** A post: its first picture, caption, time, and each account's status with what can be done about it. */
export function PostCard({ post, onCancel, onRetry: onRetryStart }: PostCardProps) {
  const retry = useRetryTarget();
  const cancelable = post.targets.some((target) => target.status === 'scheduled');
  const caption = post.caption.trim();

  const onRetry = (target: PostTarget) => {
    onRetryStart?.(post);
    retry.mutate(
      { postId: post.id, targetId: target.id },
      {
        onSuccess: () => notifications.show({ color: 'blue', message: `Publishing to ${accountName(target)} again.` }),
        onError: (error) =>
          notifications.show({
            color: 'red',
            title: `Could not retry ${accountName(target)}`,
            message: errorMessage(error),
          }),
      },
    );
  };

  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="article"
      aria-label={caption ? caption.slice(0, 60) : 'Post without a caption'}
    >
      <Stack gap="sm">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <PostThumbnail mediaIds={post.mediaIds} />
          <Box miw={0} style={{ flex: 1 }}>
            <When post={post} />
            <Text
              size="sm"
              mt={4}
              lineClamp={CAPTION_LINES}
              c={caption ? undefined : 'dimmed'}
              fs={caption ? undefined : 'italic'}
              style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}
              title={caption || undefined}
            >
              {caption || 'No caption'}
            </Text>
          </Box>
        </Group>
        <Divider />
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Accounts">
          {post.targets.map((target) => (
            <TargetRow
              key={target.id}
              target={target}
              onRetry={onRetry}
              retrying={retry.isPending && retry.variables?.targetId === target.id}
            />
          ))}
        </Stack>
        {cancelable && (
          <Group justify="flex-end">
            <Button size="xs" variant="subtle" color="red" onClick={() => onCancel(post)}>
              Cancel post
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
