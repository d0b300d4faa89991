import { Button, type ButtonProps, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../../api/client.ts';
import { type StartConnectInput, useStartConnect } from '../../../api/connected-accounts.ts';

type ConnectProvider = Extract<StartConnectInput['provider'], 'instagram' | 'instagram_login'>;

const LABELS: Record<ConnectProvider, string> = {
  instagram: 'Connect Instagram account',
  instagram_login: 'Connect with Instagram Login',
};

/**
 * Starts connecting an Instagram account: fetches the login URL, then the browser goes to
 * Facebook (`instagram`, through the Page the account is linked to) or to Instagram
 * (`instagram_login`, no Page needed).
 */
export function ConnectInstagramButton({
  provider = 'instagram',
  label = LABELS[provider],
  ...props
}: ButtonProps & { label?: string; provider?: ConnectProvider }) {
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
      {label}
    </Button>
  );
}

/**
 * Both ways to connect Instagram, with the line that tells them apart. `align` places them at the
 * end of the page header, or centred in the empty state.
 */
export function ConnectOptions({ align = 'flex-end' }: { align?: 'flex-end' | 'center' }) {
  return (
    <Stack gap={6} align={align} maw={600}>
      <Group gap="xs" justify={align}>
        <ConnectInstagramButton provider="instagram" />
        <ConnectInstagramButton provider="instagram_login" variant="default" />
      </Group>
      <Text size="xs" c="dimmed" ta={align === 'center' ? 'center' : 'right'}>
        Facebook Login goes through the Facebook Page linked to the account; Instagram Login needs no Page.
      </Text>
    </Stack>
  );
}
