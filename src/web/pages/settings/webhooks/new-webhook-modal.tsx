import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import type { CreatedWebhook } from '../../../../contracts/webhooks.ts';
import type { ModalItem } from '../../../lib/use-modal-item.ts';

/**
 * Shows a new endpoint's signing secret, the only time it is visible. Clicking outside does not
 * close it, so the secret is not lost by accident.
 */
export function NewWebhookModal({ modal }: { modal: ModalItem<CreatedWebhook> }) {
  const created = modal.item;
  return (
    <Modal
      opened={modal.opened}
      onClose={modal.close}
      onExitTransitionEnd={modal.clear}
      title="Your endpoint's signing secret"
      size="lg"
      closeOnClickOutside={false}
    >
      {created && (
        <Stack gap="md">
          <Alert color="yellow" variant="light" title="Copy it now">
            This is the only time the secret is shown: you won't see it again. Store it where your receiver can read it,
            like your deployment's secrets.
          </Alert>
          <div>
            <Text size="sm" fw={500} mb={4} id="new-webhook-secret-label">
              Secret for <span style={{ overflowWrap: 'anywhere' }}>{created.endpoint.url}</span>
            </Text>
            <Code
              block
              data-testid="new-webhook-secret"
              aria-labelledby="new-webhook-secret-label"
              style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
            >
              {created.secret}
            </Code>
          </div>
          <Text size="sm" c="dimmed">
            Every request carries a <Code>Tether-Signature</Code> header: an HMAC-SHA256 of the timestamp and the raw
            body made with this secret. Check it before trusting a request.
          </Text>
          <Group justify="flex-end" gap="sm">
            <CopyButton value={created.secret}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'light' : 'filled'}
                  color={copied ? 'green' : undefined}
                  onClick={copy}
                  data-autofocus
                >
                  {copied ? 'Copied' : 'Copy secret'}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={modal.close}>
              Done
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
