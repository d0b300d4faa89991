import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import type { CreatedApiToken } from '../../../../contracts/api-tokens.ts';
import type { ModalItem } from '../../../lib/use-modal-item.ts';

/**
 * Shows a new token's secret, the only time it is visible. Clicking outside does not close it,
 * so the secret is not lost by accident.
 */
export function NewTokenModal({ modal }: { modal: ModalItem<CreatedApiToken> }) {
  const created = modal.item;
  return (
    <Modal
      opened={modal.opened}
      onClose={modal.close}
      onExitTransitionEnd={modal.clear}
      title="Your new API token"
      size="lg"
      closeOnClickOutside={false}
    >
      {created && (
        <Stack gap="md">
          <Alert color="yellow" variant="light" title="Copy it now">
            This is the only time the token is shown: you won't see it again. Store it somewhere safe, like a password
            manager or your deployment's secrets.
          </Alert>
          <div>
            <Text size="sm" fw={500} mb={4} id="new-token-secret-label">
              Token “{created.token.name}”
            </Text>
            <Code
              block
              data-testid="new-token-secret"
              aria-labelledby="new-token-secret-label"
              style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
            >
              {created.secret}
            </Code>
          </div>
          <Text size="sm" c="dimmed">
            Send it in the <Code>Authorization: Bearer &lt;token&gt;</Code> header of your API requests.
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
                  {copied ? 'Copied' : 'Copy token'}
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
