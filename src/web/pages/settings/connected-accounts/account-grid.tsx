import { Card, SimpleGrid, Skeleton, Stack, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';

/** One column on phones, two on wide screens. */
export function AccountGrid({ children }: { children: ReactNode }) {
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      {children}
    </SimpleGrid>
  );
}

/** Placeholder cards while the accounts load. */
export function AccountGridSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-busy="true">
      <VisuallyHidden>{label}</VisuallyHidden>
      <AccountGrid>
        {['first', 'second'].map((key) => (
          <Card key={key} withBorder radius="md" padding="lg">
            <Stack gap="sm">
              <Skeleton height={56} circle />
              <Skeleton height={16} width="60%" />
              <Skeleton height={12} width="80%" />
              <Skeleton height={12} width="50%" />
              <Skeleton height={28} width="70%" />
            </Stack>
          </Card>
        ))}
      </AccountGrid>
    </div>
  );
}
