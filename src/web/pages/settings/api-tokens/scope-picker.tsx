import { Checkbox, SimpleGrid, Stack, Text } from '@mantine/core';
import { API_SCOPE_DESCRIPTIONS, API_SCOPES, type ApiScope } from '../../../../contracts/api-scopes.ts';

/**
 * Checkboxes for what a new token may do: "Full access", then one per scope with what it allows.
 * Every scope is chosen to begin with.
 */
export function ScopePicker({
  value,
  onChange,
  error,
}: {
  value: ApiScope[];
  onChange: (scopes: ApiScope[]) => void;
  error?: string;
}) {
  const all = value.length === API_SCOPES.length;
  return (
    <Stack gap="xs">
      {/* Outside the group: a checkbox inside a Checkbox.Group takes its state from the group's value. */}
      <Checkbox
        label="Full access (every permission)"
        description="Only a signed-in session can manage tokens or delete the account."
        checked={all}
        indeterminate={!all && value.length > 0}
        onChange={() => onChange(all ? [] : [...API_SCOPES])}
      />
      <Checkbox.Group
        label="Permissions"
        description="What the token may do."
        value={value}
        onChange={(picked) => onChange(API_SCOPES.filter((scope) => picked.includes(scope)))}
        error={error}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs" mt="xs">
          {API_SCOPES.map((scope) => (
            <Checkbox
              key={scope}
              value={scope}
              label={
                <Text size="sm" ff="monospace">
                  {scope}
                </Text>
              }
              description={API_SCOPE_DESCRIPTIONS[scope]}
            />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
    </Stack>
  );
}
