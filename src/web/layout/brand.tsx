import { Anchor, Group, Text } from '@mantine/core';
import { Link } from 'react-router';

function Logo() {
  return (
    <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--mantine-color-indigo-6)" />
      <circle cx="10" cy="16" r="4" fill="none" stroke="#fff" strokeWidth="2.5" />
      <circle cx="22" cy="16" r="4" fill="none" stroke="#fff" strokeWidth="2.5" />
      <path d="M14 16h4" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}

/** The "Tether" wordmark, linking home. */
export function Brand() {
  return (
    <Anchor component={Link} to="/" underline="never" c="inherit">
      <Group gap={8} wrap="nowrap">
        <Logo />
        <Text component="span" fw={700} size="lg">
          Tether
        </Text>
      </Group>
    </Anchor>
  );
}
