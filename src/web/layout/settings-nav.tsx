import { NavLink, Text } from '@mantine/core';
import { NavLink as RouterNavLink, useLocation } from 'react-router';

const LINKS = [
  { to: '/settings/social-accounts', label: 'Connected accounts', description: 'Instagram, Facebook, LinkedIn' },
  { to: '/settings/api-tokens', label: 'API tokens', description: 'Access the HTTP API' },
  { to: '/settings/webhooks', label: 'Webhooks', description: 'Get told when accounts need attention' },
] as const;

/** The settings sidebar. `onNavigate` lets the mobile menu close after a choice. */
export function SettingsNav({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  return (
    <>
      <Text id="settings-nav-title" size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" mb="xs">
        Settings
      </Text>
      {LINKS.map((link) => (
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
