import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { errorMessage } from '../api/client.ts';

/** A centered spinner for the whole viewport, used while the session is being checked. */
export function FullPageLoader({ label = 'Loading' }: { label?: string }) {
  return (
    <Center mih="100dvh">
      <Loader aria-label={label} role="status" />
    </Center>
  );
}

interface ErrorAlertProps {
  title: string;
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
}

/** An error box with the server's message and, optionally, a "Try again" button. */
export function ErrorAlert({ title, error, onRetry, retrying = false }: ErrorAlertProps) {
  return (
    <Alert color="red" variant="light" title={title}>
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry} loading={retrying}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** A whole-page error, for when the app cannot even tell whether someone is signed in. */
export function FullPageError(props: ErrorAlertProps) {
  return (
    <Center mih="100dvh" p="md">
      <ErrorAlert {...props} />
    </Center>
  );
}
