import { Badge, Button, Code, Group, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { API_SCOPES } from '../../../../contracts/api-scopes.ts';
import type { ApiToken } from '../../../../contracts/api-tokens.ts';
import { formatDateTime } from '../../../lib/format.ts';

function Scopes({ scopes }: { scopes: ApiToken['scopes'] }) {
  if (scopes.length === API_SCOPES.length)
    return (
      <Badge variant="light" color="gray">
        Full access
      </Badge>
    );
  return (
    <Group gap={4}>
      {scopes.map((scope) => (
        <Badge key={scope} variant="light" tt="none">
          {scope}
        </Badge>
      ))}
    </Group>
  );
}

function When({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/**
 * The user's tokens, each with a "Revoke" button (`onRevoke` asks for confirmation). The button
 * is described by the token's name, so screen readers say which token it revokes.
 */
export function TokensTable({ tokens, onRevoke }: { tokens: ApiToken[]; onRevoke: (token: ApiToken) => void }) {
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={760} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Token</Table.Th>
              <Table.Th>Permissions</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td>
                  <Text size="sm" fw={500} id={`token-name-${token.id}`}>
                    {token.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Code>{token.prefix}…</Code>
                </Table.Td>
                <Table.Td>
                  <Scopes scopes={token.scopes} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    <When iso={token.createdAt} />
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={token.lastUsedAt ? undefined : 'dimmed'}>
                    {token.lastUsedAt ? <When iso={token.lastUsedAt} /> : 'Never'}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    onClick={() => onRevoke(token)}
                    aria-describedby={`token-name-${token.id}`}
                  >
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
