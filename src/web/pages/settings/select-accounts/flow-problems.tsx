import { Alert, List, Text } from '@mantine/core';
import { CONNECT_ERRORS } from '../../../../contracts/connect-errors.ts';
import type { FlowView } from '../../../../contracts/connected-accounts.ts';

/** Pages the flow found but cannot use, e.g. with no Instagram account linked. */
export function FlowProblems({ problems }: { problems: FlowView['problems'] }) {
  if (problems.length === 0) return null;
  const noAccount = problems.filter((problem) => problem.reason === 'no_instagram_account');
  const other = problems.filter((problem) => problem.reason !== 'no_instagram_account');
  return (
    <Alert color="blue" variant="light" title="Some Pages cannot be used">
      {noAccount.length > 0 && (
        <>
          <Text size="sm">
            These Pages have no Instagram professional account linked:{' '}
            <strong>{noAccount.map((problem) => problem.name).join(', ')}</strong>.
          </Text>
          <Text size="sm" mt={4}>
            {CONNECT_ERRORS.NO_INSTAGRAM_ACCOUNT.fix}
          </Text>
        </>
      )}
      {other.length > 0 && (
        <>
          <Text size="sm" mt={noAccount.length > 0 ? 'sm' : 0}>
            These Pages cannot be used because your role on them does not allow publishing:
          </Text>
          <List size="sm">
            {other.map((problem) => (
              <List.Item key={problem.id}>{problem.name}</List.Item>
            ))}
          </List>
        </>
      )}
    </Alert>
  );
}
