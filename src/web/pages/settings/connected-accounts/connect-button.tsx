import { Button, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../../api/client.ts';
import { useStartConnect } from '../../../api/connected-accounts.ts';

/** Starts connecting an Instagram account: fetches the login URL, then the browser goes to Facebook. */
export function ConnectInstagramButton({
  label = 'Connect Instagram account',
  ...props
}: ButtonProps & { label?: string }) {
  const connect = useStartConnect();
  const onClick = () =>
    connect.mutate(
      { provider: 'instagram' },
      {
        onError: (error) =>
          notifications.show({ color: 'red', title: 'Could not start connecting', message: errorMessage(error) }),
      },
    );
  return (
    <Button {...props} onClick={onClick} loading={connect.isStarting}>
      {label}
    </Button>
  );
}
