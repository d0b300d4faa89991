import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface SecretOnceModalProps {
  opened: boolean;
  onClose(): void;
  onExitTransitionEnd(): void;
  title: string;
  /** The secret, or null while there is none to show. */
  secret: string | null;
  /** Why it must be copied now, and where to keep it. */
  warning: ReactNode;
  /** What the secret belongs to, shown above it. */
  label: ReactNode;
  /** How the secret is used. */
  usage: ReactNode;
  copyLabel: string;
  /** Names the secret element for tests and its label for assistive technology. */
  testId: string;
}

/**
 * Shows a secret the only time it is visible (a new API token, a webhook signing secret).
 * Clicking outside does not close it, so the secret is not lost by accident.
 */
export function SecretOnceModal({ secret, warning, label, usage, copyLabel, testId, ...modal }: SecretOnceModalProps) {
  return (
    <Modal {...modal} size="lg" closeOnClickOutside={false}>
      {secret && (
        <Stack gap="md">
          <Alert color="yellow" variant="light" title="Copy it now">
            {warning}
          </Alert>
          <div>
            <Text size="sm" fw={500} mb={4} id={`${testId}-label`}>
              {label}
            </Text>
            <Code
              block
              data-testid={testId}
              aria-labelledby={`${testId}-label`}
              style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
            >
              {secret}
            </Code>
          </div>
          <Text size="sm" c="dimmed">
            {usage}
          </Text>
          <Group justify="flex-end" gap="sm">
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'light' : 'filled'}
                  color={copied ? 'green' : undefined}
                  onClick={copy}
                  data-autofocus
                >
                  {copied ? 'Copied' : copyLabel}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={modal.onClose}>
              Done
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
