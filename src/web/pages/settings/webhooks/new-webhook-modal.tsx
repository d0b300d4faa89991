import { Code } from '@mantine/core';
import type { CreatedWebhook } from '../../../../contracts/webhooks.ts';
import { SecretOnceModal } from '../../../components/secret-once-modal.tsx';
import type { ModalItem } from '../../../lib/use-modal-item.ts';

/** Shows a new endpoint's signing secret, the only time it is visible. */
export function NewWebhookModal({ modal }: { modal: ModalItem<CreatedWebhook> }) {
  const created = modal.item;
  return (
    <SecretOnceModal
      opened={modal.opened}
      onClose={modal.close}
      onExitTransitionEnd={modal.clear}
      title="Your endpoint's signing secret"
      secret={created?.secret ?? null}
      warning="This is the only time the secret is shown: you won't see it again. Store it where your receiver can read it, like your deployment's secrets."
      label={
        <>
          Secret for <span style={{ overflowWrap: 'anywhere' }}>{created?.endpoint.url}</span>
        </>
      }
      usage={
        <>
          Every request carries a <Code>Tether-Signature</Code> header: an HMAC-SHA256 of the timestamp and the raw body
          made with this secret. Check it before trusting a request.
        </>
      }
      copyLabel="Copy secret"
      testId="new-webhook-secret"
    />
  );
}
