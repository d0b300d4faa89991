import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useDeleteAccount } from '../../../api/account.ts';
import { errorMessage } from '../../../api/client.ts';
import { PasswordField } from '../../../components/password-field.tsx';
import { SIGN_IN_PATH } from '../../../lib/redirect.ts';

/** Asks for the password, then deletes the account and everything in it, and signs out. */
export function DeleteAccountModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const remove = useDeleteAccount();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);

  const close = () => {
    if (remove.isPending) return;
    setPassword('');
    setMissing(false);
    remove.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!password) {
      setMissing(true);
      return;
    }
    remove.mutate(
      { password },
      {
        onSuccess: (deletion) => {
          navigate(SIGN_IN_PATH, { replace: true });
          notifications.show({
            color: 'green',
            title: 'Your account was deleted',
            message:
              deletion.status === 'completed'
                ? 'Your account and all its data are gone.'
                : 'You are signed out; the rest of your data is being deleted now.',
            autoClose: 10_000,
          });
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="Delete your account and data?" closeOnClickOutside={false}>
      <form onSubmit={onSubmit} noValidate aria-label="Confirm account deletion">
        <Stack gap="md">
          <Text size="sm">This deletes, for good and right away:</Text>
          <List size="sm" spacing={4}>
            <List.Item>your connected accounts, after revoking Tether's access at the platforms</List.Item>
            <List.Item>your posts and scheduled posts, media files and webhooks</List.Item>
            <List.Item>your API tokens, sessions and notifications, and your sign-in</List.Item>
          </List>
          <Text size="sm">Posts already published stay on the platforms. This cannot be undone.</Text>
          <PasswordField
            label="Your password"
            description="Type your current password to confirm."
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => {
              setPassword(event.currentTarget.value);
              setMissing(false);
            }}
            error={missing ? 'Enter your password.' : undefined}
            data-autofocus
          />
          {remove.isError && (
            <Alert color="red" variant="light" title="Your account was not deleted">
              {errorMessage(remove.error)}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={remove.isPending}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={remove.isPending}>
              Delete my account
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
