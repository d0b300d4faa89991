import { Code } from '@mantine/core';
import type { CreatedApiToken } from '../../../../contracts/api-tokens.ts';
import { SecretOnceModal } from '../../../components/secret-once-modal.tsx';
import type { ModalItem } from '../../../lib/use-modal-item.ts';

/** Shows a new token's secret, the only time it is visible. */
export function NewTokenModal({ modal }: { modal: ModalItem<CreatedApiToken> }) {
  const created = modal.item;
  return (
    <SecretOnceModal
      opened={modal.opened}
      onClose={modal.close}
      onExitTransitionEnd={modal.clear}
      title="Your new API token"
      secret={created?.secret ?? null}
      warning="This is the only time the token is shown: you won't see it again. Store it somewhere safe, like a password manager or your deployment's secrets."
      label={`Token “${created?.token.name ?? ''}”`}
      usage={
        <>
          Send it in the <Code>Authorization: Bearer &lt;token&gt;</Code> header of your API requests.
        </>
      }
      copyLabel="Copy token"
      testId="new-token-secret"
    />
  );
}
