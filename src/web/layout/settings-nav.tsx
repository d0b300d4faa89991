import { Divider, NavLink, Text } from '@mantine/core';
import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { useMe } from '../api/session.ts';
import { ADMIN_PATH } from '../lib/admin-path.ts';
import { COMPOSE_PATH, POSTS_PATH } from '../lib/publishing-paths.ts';

interface Link {
  to: string;
  label: string;
}

const PUBLISHING_LINKS: readonly Link[] = [
  { to: COMPOSE_PATH, label: 'Compose' },
  { to: POSTS_PATH, label: 'Posts' },
];

const LINKS = [
  { to: '/settings/social-accounts', label: 'Connected accounts', description: 'Instagram, Facebook, LinkedIn' },
  { to: '/settings/api-tokens', label: 'API tokens', description: 'Access the HTTP API' },
  { to: '/settings/webhooks', label: 'Webhooks', description: 'Get told when accounts need attention' },
  { to: '/settings/account', label: 'Account', description: 'Your profile; delete your account' },
] as const;

function Section({ title, links, onNavigate }: { title: string; links: readonly Link[]; onNavigate?: () => void }) {
  const { pathname } = useLocation();
  return (
    <>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" mb="xs">
        {title}
      </Text>
      {links.map((link) => (
        <NavLink
          key={link.to}
          component={RouterNavLink}
          to={link.to}
          label={link.label}
          active={pathname === link.to || pathname.startsWith(`${link.to}/`)}
          onClick={onNavigate}
          variant="light"
          mb={4}
          style={{ borderRadius: 'var(--mantine-radius-sm)' }}
        />
      ))}
    </>
  );
}

const ADMIN_LINKS: readonly Link[] = [{ to: ADMIN_PATH, label: 'Admin' }];

/**
 * The sidebar: publishing, the settings, and for admins the admin area. `onNavigate` lets the
 * mobile menu close after a choice.
 */
export function SettingsNav({ onNavigate }: { onNavigate?: () => void }) {
  const { data: me } = useMe();
  return (
    <>
      <Section title="Publishing" links={PUBLISHING_LINKS} onNavigate={onNavigate} />
      <Divider my="sm" />
      <Section title="Settings" links={LINKS} onNavigate={onNavigate} />
      {me?.isAdmin && (
        <>
          <Divider my="sm" />
          <Section title="Administration" links={ADMIN_LINKS} onNavigate={onNavigate} />
        </>
      )}
    </>
  );
}
