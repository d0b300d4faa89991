import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMe } from '../../api/session.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { DeleteAccountModal } from './account/delete-account-modal.tsx';

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}

/** Who is signed in, and the danger zone: deleting the account and all its data. */
export function AccountPage() {
  const me = useMe().data;
  const [deleting, { open, close }] = useDisclosure(false);

  return (
    <Stack gap="lg" maw={720}>
      <PageHeader title="Account" description="Your profile on this Tether instance." />
      <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="profile-title">
        <Title order={2} size="h4" id="profile-title" mb="md">
          Profile
        </Title>
        <Stack gap="sm">
          <Field label="Name" value={me?.name ?? ''} />
          <Field label="Email" value={me?.email ?? ''} />
        </Stack>
      </Paper>
      <Paper
        withBorder
        radius="md"
        p="lg"
        component="section"
        aria-labelledby="danger-title"
        style={{ borderColor: 'var(--mantine-color-red-4)' }}
      >
        <Title order={2} size="h4" id="danger-title" c="red.7" mb="xs">
          Danger zone
        </Title>
        <Group justify="space-between" align="center" gap="md" wrap="wrap">
          <Text size="sm" maw={460}>
            Delete your account with your connected accounts, posts, media, webhooks and API tokens. Tether's access is
            revoked at the platforms. This cannot be undone.
          </Text>
          <Button color="red" variant="outline" onClick={open}>
            Delete my account and data
          </Button>
        </Group>
      </Paper>
      <DeleteAccountModal opened={deleting} onClose={close} />
    </Stack>
  );
}
