import { Anchor, Code, Stack } from '@mantine/core';
import type { ApiToken, CreatedApiToken } from '../../../contracts/api-tokens.ts';
import { useApiTokens } from '../../api/api-tokens.ts';
import { OutlineIcon } from '../../components/outline-icon.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryList } from '../../components/query-list.tsx';
import { useModalItem } from '../../lib/use-modal-item.ts';
import { CreateTokenForm } from './api-tokens/create-token-form.tsx';
import { NewTokenModal } from './api-tokens/new-token-modal.tsx';
import { RevokeTokenModal } from './api-tokens/revoke-token-modal.tsx';
import { TokensTable } from './api-tokens/tokens-table.tsx';

function KeyIcon() {
  return (
    <OutlineIcon>
      <circle cx="8" cy="15" r="4" />
      <path d="M10.85 12.15 19 4M16 7l2 2M18 5l2 2" />
    </OutlineIcon>
  );
}

function TokensContent({ onRevoke }: { onRevoke: (token: ApiToken) => void }) {
  return (
    <QueryList
      query={useApiTokens()}
      loadingLabel="Loading API tokens"
      errorTitle="Could not load your tokens"
      empty={{
        icon: <KeyIcon />,
        title: 'No tokens yet',
        description: 'Create one above to call the API from scripts and other tools.',
      }}
    >
      {(tokens) => <TokensTable tokens={tokens} onRevoke={onRevoke} />}
    </QueryList>
  );
}

export function ApiTokensPage() {
  const created = useModalItem<CreatedApiToken>();
  const revoking = useModalItem<ApiToken>();

  return (
    <Stack gap="lg" maw={960}>
      <PageHeader
        title="API tokens"
        description={
          <>
            Personal tokens let scripts and other tools use the{' '}
            <Anchor href="/docs" inherit>
              Tether HTTP API
            </Anchor>{' '}
            as you. Send one as <Code>Authorization: Bearer &lt;token&gt;</Code>. Anyone with a token can act as you, so
            keep them secret and revoke the ones you no longer use.
          </>
        }
      />
      <CreateTokenForm onCreated={created.open} />
      <TokensContent onRevoke={revoking.open} />
      <NewTokenModal modal={created} />
      <RevokeTokenModal modal={revoking} />
    </Stack>
  );
}
