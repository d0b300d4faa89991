import { Alert, Button, Group, Skeleton, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { FlowView, ProviderId } from '../../../contracts/connected-accounts.ts';
import { ApiError, errorMessage } from '../../api/client.ts';
import { useConnectFlow, useSelectCandidates } from '../../api/connected-accounts.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert } from '../../components/page-status.tsx';
import { HOME_PATH } from '../../lib/redirect.ts';
import { useDropFacebookHash } from '../../lib/use-drop-facebook-hash.ts';
import { isProviderId } from './account-labels.ts';
import { CandidateCard } from './select-accounts/candidate-card.tsx';
import { FlowEnded } from './select-accounts/flow-ended.tsx';
import { FlowProblems } from './select-accounts/flow-problems.tsx';

const ENDED = {
  title: 'This connection can no longer be completed',
  message: 'It was already finished or it expired (you have 10 minutes to choose). Start again to connect accounts.',
};

/** What a login found, said for its platform. */
const FOUND: Record<ProviderId, { shared: string; group: string; none: string }> = {
  instagram: {
    shared: 'Facebook shared these Instagram professional accounts.',
    group: 'Instagram accounts found',
    none: 'No Instagram professional accounts were found on the Pages you shared.',
  },
  instagram_login: {
    shared: 'Instagram shared these accounts.',
    group: 'Instagram accounts found',
    none: 'No Instagram professional accounts were found.',
  },
  facebook_page: {
    shared: 'Facebook shared these Pages.',
    group: 'Facebook Pages found',
    none: 'No Pages you can publish to were shared.',
  },
  linkedin: {
    shared: 'LinkedIn shared this profile.',
    group: 'LinkedIn profiles found',
    none: 'No profile was found.',
  },
  linkedin_org: {
    shared: 'LinkedIn found these Pages you administer.',
    group: 'LinkedIn Pages found',
    none: 'No LinkedIn Pages you administer were found.',
  },
};

/** The flow is gone for good: not found, finished or expired, rather than a passing failure. */
const isEnded = (error: unknown) =>
  error instanceof ApiError && (error.code === 'FLOW_NOT_SELECTABLE' || error.status === 404 || error.status === 409);

function Picker({ flow }: { flow: FlowView }) {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const select = useSelectCandidates(flow.id);
  const navigate = useNavigate();

  if (select.isError && isEnded(select.error)) return <FlowEnded {...ENDED} provider={flow.provider} />;

  const toggle = (id: string, checked: boolean) =>
    setPicked((current) => {
      const next = new Set(current);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });

  const onConnect = () =>
    select.mutate([...picked], {
      onSuccess: ({ accountIds }) =>
        void navigate(`${HOME_PATH}?${new URLSearchParams({ connected: accountIds.join(',') })}`, { replace: true }),
    });

  return (
    <Stack gap="lg">
      {flow.candidates.length === 0 ? (
        <Text size="sm">{FOUND[flow.provider].none}</Text>
      ) : (
        <Stack gap="sm" role="group" aria-label={FOUND[flow.provider].group}>
          {flow.candidates.map((candidate) => (
            <CandidateCard
              key={candidate.id}
              candidate={candidate}
              checked={picked.has(candidate.id)}
              onChange={(checked) => toggle(candidate.id, checked)}
            />
          ))}
        </Stack>
      )}
      <FlowProblems problems={flow.problems} />
      {select.isError && (
        <Alert color="red" variant="light" title="Could not connect the accounts" role="alert">
          <Text size="sm">{errorMessage(select.error)}</Text>
        </Alert>
      )}
      <Group gap="sm">
        <Button onClick={onConnect} disabled={picked.size === 0} loading={select.isPending || select.isSuccess}>
          Connect selected{picked.size > 1 ? ` (${picked.size})` : ''}
        </Button>
        <Button component={Link} to={HOME_PATH} variant="default">
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

function PickerSkeleton() {
  return (
    <Stack gap="sm" role="status" aria-busy="true">
      <VisuallyHidden>Loading the accounts found</VisuallyHidden>
      <Skeleton height={76} radius="md" />
      <Skeleton height={76} radius="md" />
    </Stack>
  );
}

/** `provider`: from the address, for when the flow itself can no longer be read. */
function FlowContent({ flowId, provider }: { flowId: string; provider: ProviderId | null }) {
  const flow = useConnectFlow(flowId);
  if (flow.isPending) return <PickerSkeleton />;
  if (flow.isError) {
    if (isEnded(flow.error)) return <FlowEnded {...ENDED} provider={provider} />;
    return (
      <ErrorAlert
        title="Could not load the accounts found"
        error={flow.error}
        onRetry={() => void flow.refetch()}
        retrying={flow.isFetching}
      />
    );
  }
  if (flow.data.status !== 'selecting') return <FlowEnded {...ENDED} provider={flow.data.provider} />;
  return <Picker flow={flow.data} />;
}

/** `/settings/social-accounts/select/:flowId`: pick which of the accounts a login found to connect. */
export function SelectAccountsPage() {
  useDropFacebookHash();
  const { flowId = '' } = useParams();
  const param = useSearchParams()[0].get('provider');
  const provider = isProviderId(param) ? param : null;
  return (
    <Stack gap="lg" maw={720}>
      <PageHeader
        title="Choose accounts to connect"
        description={
          provider
            ? `${FOUND[provider].shared} Tick the ones Tether should publish to.`
            : 'Tick the accounts Tether should publish to.'
        }
      />
      <FlowContent key={flowId} flowId={flowId} provider={provider} />
    </Stack>
  );
}
