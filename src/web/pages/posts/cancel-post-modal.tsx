import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Post } from '../../../contracts/posts.ts';
import { errorMessage } from '../../api/client.ts';
import { useCancelPost } from '../../api/posts.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { ModalItem } from '../../lib/use-modal-item.ts';
import { accountName } from '../settings/connected-accounts/account-name.ts';

/** Asks before canceling a scheduled post; only the accounts not yet publishing are canceled. */
export function CancelPostModal({ modal }: { modal: ModalItem<Post> }) {
  const cancel = useCancelPost();
  const post = modal.item;
  const waiting = post?.targets.filter((target) => target.status === 'scheduled') ?? [];

  const onConfirm = () => {
    if (!post) return;
    cancel.mutate(post.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', title: 'Post canceled', message: 'It will not be published.' });
        modal.close();
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Could not cancel the post', message: errorMessage(error) }),
    });
  };

  return (
    <Modal opened={modal.opened} onClose={modal.close} onExitTransitionEnd={modal.clear} title="Cancel this post?">
      {post && (
        <Stack gap="lg">
          <Text size="sm">
            It was to be published {formatDateTime(post.scheduledAt)} to{' '}
            <strong>{waiting.map(accountName).join(', ')}</strong>. Canceling cannot be undone; accounts already
            publishing finish.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={modal.close} disabled={cancel.isPending} data-autofocus>
              Keep it
            </Button>
            <Button color="red" onClick={onConfirm} loading={cancel.isPending}>
              Cancel post
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
