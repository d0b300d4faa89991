import { Badge, Group, Text, UnstyledButton } from '@mantine/core';
import { useId, useState } from 'react';

/** The permissions granted at the platform, behind a toggle: they matter mostly when something is missing. */
export function GrantedPermissions({ scopes }: { scopes: string[] }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  if (scopes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No permissions recorded.
      </Text>
    );
  }
  return (
    <div>
      <UnstyledButton
        onClick={() => setOpen((value) => !value)}
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        fz="sm"
        c="indigo.8"
      >
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> Permissions granted ({scopes.length})
      </UnstyledButton>
      {open && (
        <Group id={listId} component="ul" gap={6} p={0} style={{ listStyle: 'none', margin: '6px 0 0' }}>
          {scopes.map((scope) => (
            <Badge key={scope} component="li" variant="outline" color="gray" tt="none" fw={500}>
              {scope}
            </Badge>
          ))}
        </Group>
      )}
    </div>
  );
}
