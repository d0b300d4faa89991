import { Alert, Button, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ProviderId } from '../../../../contracts/connected-accounts.ts';
import { HOME_PATH } from '../../../lib/redirect.ts';
import { ConnectButton } from '../connected-accounts/connect-button.tsx';

interface FlowEndedProps {
  title: string;
  message: string;
  /** The provider the flow was for, to start it again; null when not known. */
  provider: ProviderId | null;
}

/** The flow can no longer be used (finished, expired or unknown): start a new one or go back. */
export function FlowEnded({ title, message, provider }: FlowEndedProps) {
  return (
    <Alert color="yellow" variant="light" title={title} role="alert">
      <Text size="sm">{message}</Text>
      <Group gap="sm" mt="md">
        {provider && (
          <ConnectButton provider={provider} size="xs">
            Start again
          </ConnectButton>
        )}
        <Button component={Link} to={HOME_PATH} size="xs" variant={provider ? 'default' : 'filled'}>
          Back to connected accounts
        </Button>
      </Group>
    </Alert>
  );
}
