import { Alert, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { CONNECT_ERRORS, connectErrorText, isConnectErrorCode } from '../../../../contracts/connect-errors.ts';
import { useConnectedAccounts } from '../../../api/connected-accounts.ts';
import { FACEBOOK_HASH } from '../../../lib/use-drop-facebook-hash.ts';
import { isProviderId } from '../account-labels.ts';
import { accountName } from './account-name.ts';
import { ConnectButton } from './connect-button.tsx';
import { reasonText } from './reason-text.ts';

type Notice =
  | { kind: 'connected'; ids: string[]; skipped: Skipped[] }
  | { kind: 'error'; code: string; provider: string | null };

const CONNECTED_PARAM = 'connected';
const SKIPPED_PARAM = 'skipped';

interface Skipped {
  reason: string;
  name: string;
}

/** `reason:name` pairs from the address; the reason is a fixed word, so the first colon splits them. */
const parseSkipped = (values: string[]): Skipped[] =>
  values.map((value) => {
    const at = value.indexOf(':');
    return { reason: value.slice(0, at), name: value.slice(at + 1) };
  });
const ERROR_PARAM = 'error';
const PROVIDER_PARAM = 'provider';

function readNotice(params: URLSearchParams): Notice | null {
  const error = params.get(ERROR_PARAM);
  if (error) return { kind: 'error', code: error, provider: params.get(PROVIDER_PARAM) };
  const ids = (params.get(CONNECTED_PARAM) ?? '').split(',').filter(Boolean);
  return ids.length > 0 ? { kind: 'connected', ids, skipped: parseSkipped(params.getAll(SKIPPED_PARAM)) } : null;
}

function ConnectedAlert({ ids, skipped, onClose }: { ids: string[]; skipped: Skipped[]; onClose: () => void }) {
  const { data: accounts, isFetching } = useConnectedAccounts();
  const names = ids.map((id) => accounts?.find((account) => account.id === id)).filter((account) => account != null);
  // Once the list is current and none of them is in it (disconnected since), the news is stale.
  if (accounts && !isFetching && names.length === 0) return null;
  const title =
    names.length > 0
      ? `Connected ${names.map(accountName).join(', ')}`
      : `${ids.length === 1 ? 'Account' : `${ids.length} accounts`} connected`;
  return (
    <Alert color="green" variant="light" title={title} withCloseButton closeButtonLabel="Dismiss" onClose={onClose}>
      <Text size="sm">Tether can now publish to {ids.length === 1 ? 'it' : 'them'}.</Text>
      {skipped.map(({ reason, name }) => (
        <Text key={`${reason}:${name}`} size="sm" mt="xs">
          Skipped {name}: {reasonText(reason)}
          {reason === 'no_instagram_account' && <> {CONNECT_ERRORS.NO_INSTAGRAM_ACCOUNT.fix}</>}
        </Text>
      ))}
    </Alert>
  );
}

function ErrorNotice({ code, provider, onClose }: { code: string; provider: string | null; onClose: () => void }) {
  const known = isConnectErrorCode(code) ? connectErrorText(code, provider) : null;
  return (
    <Alert
      color="red"
      variant="light"
      title={known?.message ?? 'The connection did not complete.'}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onClose}
    >
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{known?.fix ?? `Start again; if it keeps happening, note the code ${code}.`}</Text>
        {isProviderId(provider) && (
          <ConnectButton provider={provider} size="xs" variant="white" color="red">
            Start again
          </ConnectButton>
        )}
      </Stack>
    </Alert>
  );
}

/**
 * What a finished connect flow reports through `?connected=<ids>` or `?error=<code>`. The
 * parameter (and Facebook's `#_=_`) is removed from the address right away, replacing the
 * history entry, so a reload does not show the message again.
 */
export function ConnectNotice() {
  const { pathname, search, hash } = useLocation();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    const params = new URLSearchParams(search);
    const found = readNotice(params);
    if (found) setNotice(found);
    if (!found && hash !== FACEBOOK_HASH) return;
    params.delete(CONNECTED_PARAM);
    params.delete(SKIPPED_PARAM);
    params.delete(ERROR_PARAM);
    params.delete(PROVIDER_PARAM);
    const rest = params.toString();
    void navigate({ pathname, search: rest ? `?${rest}` : '' }, { replace: true });
  }, [pathname, search, hash, navigate]);

  if (!notice) return null;
  const close = () => setNotice(null);
  return (
    <div role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.kind === 'connected' ? (
        <ConnectedAlert ids={notice.ids} skipped={notice.skipped} onClose={close} />
      ) : (
        <ErrorNotice code={notice.code} provider={notice.provider} onClose={close} />
      )}
    </div>
  );
}
