import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ConnectedAccount } from '../../../../contracts/connected-accounts.ts';
import { errorMessage } from '../../../api/client.ts';
import { useDisconnectAccount } from '../../../api/connected-accounts.ts';
import { useProviders } from '../../../api/providers.ts';
import type { ModalItem } from '../../../lib/use-modal-item.ts';
import { PROVIDER_PLATFORMS } from '../account-labels.ts';
import { accountName } from './account-name.ts';

/** Where people remove an app's access themselves, on platforms that give apps no way to revoke it. */
const REMOVE_BY_HAND: Partial<Record<string, string>> = {
  LinkedIn: 'LinkedIn Settings → Data privacy → Permitted services',
  Instagram: 'Instagram Settings → Apps and websites',
};

/** What disconnecting does at the platform: a revoke where the provider can, else how to do it by hand. */
function AtThePlatform({ account }: { account: ConnectedAccount }) {
  const { data: providers } = useProviders();
  const canRevoke = providers?.find((provider) => provider.id === account.provider)?.canRevoke;
  const platform = PROVIDER_PLATFORMS[account.provider];
  if (canRevoke === undefined) return null;
  if (canRevoke) return <>Tether will revoke its access at {platform}. </>;
  const where = REMOVE_BY_HAND[platform];
  return (
    <>
      {platform} gives apps no way to revoke their access, so Tether stays listed there until you remove it
      {where ? (
        <>
          {' '}
          under <strong>{where}</strong>
        </>
      ) : null}
      .{' '}
    </>
  );
}

/** Asks before disconnecting the modal's account; disconnects it and reports with a toast. */
export function DisconnectAccountModal({ modal }: { modal: ModalItem<ConnectedAccount> }) {
  const disconnect = useDisconnectAccount();
  const account = modal.item;
  const name = account ? accountName(account) : '';

  const onConfirm = () => {
    if (!account) return;
    disconnect.mutate(account.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', title: 'Disconnected', message: `${name} is no longer connected.` });
        modal.close();
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: `Could not disconnect ${name}`, message: errorMessage(error) }),
    });
  };

  return (
    <Modal opened={modal.opened} onClose={modal.close} onExitTransitionEnd={modal.clear} title={`Disconnect ${name}?`}>
      {account && (
        <Stack gap="lg">
          <Text size="sm">
            <AtThePlatform account={account} />
            Tether will delete the tokens it stored for <strong>{name}</strong>. Nothing can be published to it until
            you connect it again.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={modal.close} disabled={disconnect.isPending} data-autofocus>
              Cancel
            </Button>
            <Button color="red" onClick={onConfirm} loading={disconnect.isPending}>
              Disconnect
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
