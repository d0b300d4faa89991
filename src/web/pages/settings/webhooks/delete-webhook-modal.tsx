import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { WebhookEndpoint } from '../../../../contracts/webhooks.ts';
import { errorMessage } from '../../../api/client.ts';
import { useDeleteWebhook } from '../../../api/webhooks.ts';
import type { ModalItem } from '../../../lib/use-modal-item.ts';

/** Asks before deleting the modal's endpoint; deletes it and reports with a toast. */
export function DeleteWebhookModal({ modal }: { modal: ModalItem<WebhookEndpoint> }) {
  const remove = useDeleteWebhook();
  const endpoint = modal.item;

  const onConfirm = () => {
    if (!endpoint) return;
    remove.mutate(endpoint.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', title: 'Endpoint deleted', message: 'Tether no longer calls it.' });
        modal.close();
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Could not delete the endpoint', message: errorMessage(error) }),
    });
  };

  return (
    <Modal opened={modal.opened} onClose={modal.close} onExitTransitionEnd={modal.clear} title="Delete this endpoint?">
      {endpoint && (
        <Stack gap="lg">
          <Text size="sm">
            Tether will stop calling <strong style={{ overflowWrap: 'anywhere' }}>{endpoint.url}</strong>, including
            deliveries still being retried, and its delivery history goes with it. This cannot be undone.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={modal.close} disabled={remove.isPending} data-autofocus>
              Cancel
            </Button>
            <Button color="red" onClick={onConfirm} loading={remove.isPending}>
              Delete endpoint
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
