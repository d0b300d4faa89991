import { EmptyState, Paper } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from './page-status.tsx';
import { TableSkeleton } from './table-skeleton.tsx';

interface QueryListProps<T> {
  query: UseQueryResult<T[]>;
  loadingLabel: string;
  errorTitle: string;
  empty: { icon: ReactNode; title: string; description: string; action?: ReactNode };
  /** What to show while loading; table rows by default. */
  skeleton?: ReactNode;
  children: (items: T[]) => ReactNode;
}

/** The loading, error (with retry) and empty states every list page shares, around the list itself. */
export function QueryList<T>({ query, loadingLabel, errorTitle, empty, skeleton, children }: QueryListProps<T>) {
  if (query.isPending) return skeleton ?? <TableSkeleton label={loadingLabel} />;
  if (query.isError) {
    return (
      <ErrorAlert
        title={errorTitle}
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  if (query.data.length === 0) {
    return (
      <Paper withBorder radius="md" p="xl">
        <EmptyState icon={empty.icon} variant="light" title={empty.title} description={empty.description}>
          {empty.action && <EmptyState.Actions>{empty.action}</EmptyState.Actions>}
        </EmptyState>
      </Paper>
    );
  }
  return children(query.data);
}
