import { Alert, Button, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import { HOME_PATH } from '../../../lib/redirect.ts';
import { ConnectInstagramButton } from '../connected-accounts/connect-button.tsx';

interface FlowEndedProps {
  title: string;
  message: string;
}

/** The flow can no longer be used (finished, expired or unknown): start a new one or go back. */
export function FlowEnded({ title, message }: FlowEndedProps) {
  return (
    <Alert color="yellow" variant="light" title={title} role="alert">
      <Text size="sm">{message}</Text>
      <Group gap="sm" mt="md">
        <ConnectInstagramButton label="Start again" size="xs" />
        <Button component={Link} to={HOME_PATH} size="xs" variant="default">
          Back to connected accounts
        </Button>
      </Group>
    </Alert>
  );
}
