import { Button, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import type { ProviderId } from '../../../../contracts/connected-accounts.ts';
import { errorMessage } from '../../../api/client.ts';
import { useStartConnect } from '../../../api/connected-accounts.ts';

interface ConnectButtonProps extends ButtonProps {
  provider: ProviderId;
  children: ReactNode;
  'aria-label'?: string;
}

/**
 * Starts connecting accounts of a provider: fetches the login URL, then the browser goes to the
 * platform's login (or the sandbox's), which comes back to Tether's callback.
 */
export function ConnectButton({ provider, children, ...props }: ConnectButtonProps) {
  const connect = useStartConnect();
  const onClick = () =>
    connect.mutate(
      { provider },
      {
        onError: (error) =>
          notifications.show({ color: 'red', title: 'Could not start connecting', message: errorMessage(error) }),
      },
    );
  return (
    <Button {...props} onClick={onClick} loading={connect.isStarting}>
      {children}
    </Button>
  );
}
