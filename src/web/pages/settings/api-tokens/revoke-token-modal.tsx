import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ApiToken } from '../../../../contracts/api-tokens.ts';
import { useRevokeApiToken } from '../../../api/api-tokens.ts';
import { errorMessage } from '../../../api/client.ts';
import type { ModalItem } from '../../../lib/use-modal-item.ts';

/** Asks before revoking the modal's token; revokes it and reports with a toast. */
export function RevokeTokenModal({ modal }: { modal: ModalItem<ApiToken> }) {
  const revoke = useRevokeApiToken();
  const token = modal.item;

  const onConfirm = () => {
    if (!token) return;
    revoke.mutate(token.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', title: 'Token revoked', message: `“${token.name}” no longer works.` });
        modal.close();
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Could not revoke the token', message: errorMessage(error) }),
    });
  };

  return (
    <Modal opened={modal.opened} onClose={modal.close} onExitTransitionEnd={modal.clear} title="Revoke this token?">
      {token && (
        <Stack gap="lg">
          <Text size="sm">
            Anything using <strong>“{token.name}”</strong> will stop working right away. This cannot be undone.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={modal.close} disabled={revoke.isPending} data-autofocus>
              Cancel
            </Button>
            <Button color="red" onClick={onConfirm} loading={revoke.isPending}>
              Revoke token
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
