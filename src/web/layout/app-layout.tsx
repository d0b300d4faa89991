import { AppShell, Burger, Button, Group, Text } from '@mantine/core';
import { useDisclosure, useElementSize } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { Outlet, useNavigate } from 'react-router';
import { errorMessage } from '../api/client.ts';
import { useMe, useSignOut } from '../api/session.ts';
import { SIGN_IN_PATH } from '../lib/redirect.ts';
import { Brand } from './brand.tsx';
import { NotificationBell } from './notification-bell.tsx';
import { SandboxBanner } from './sandbox-banner.tsx';
import { SettingsNav } from './settings-nav.tsx';

const HEADER_HEIGHT = 60;
const NAVBAR_WIDTH = 260;

function AccountMenu() {
  const { data: user } = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();

  const onSignOut = () =>
    signOut.mutate(undefined, {
      onSuccess: () => {
        notifications.clean();
        void navigate(SIGN_IN_PATH, { replace: true });
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Could not sign out', message: errorMessage(error) }),
    });

  return (
    <Group gap="sm" wrap="nowrap" miw={0}>
      <NotificationBell />
      {user && (
        <Text size="sm" c="dimmed" truncate="end" visibleFrom="xs" maw={260} title={user.email}>
          {user.email}
        </Text>
      )}
      <Button variant="default" size="sm" onClick={onSignOut} loading={signOut.isPending}>
        Sign out
      </Button>
    </Group>
  );
}

/** The signed-in frame: header (brand, account, sign out), the settings sidebar and the page. */
export function AppLayout() {
  const [navOpened, nav] = useDisclosure(false);
  // The sandbox banner sits in the header; its height (0 without it) pushes the rest down.
  const banner = useElementSize<HTMLDivElement>();

  return (
    <AppShell
      header={{ height: HEADER_HEIGHT + banner.height }}
      navbar={{ width: NAVBAR_WIDTH, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <SandboxBanner ref={banner.ref} />
        <Group h={HEADER_HEIGHT} px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={navOpened}
              aria-controls="settings-navbar"
            />
            <Brand />
          </Group>
          <AccountMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar id="settings-navbar" p="md" aria-label="Main">
        <SettingsNav onNavigate={nav.close} />
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
