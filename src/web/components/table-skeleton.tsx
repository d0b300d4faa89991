import { Skeleton, Stack, VisuallyHidden } from '@mantine/core';

/** Placeholder rows while a list loads, announced to screen readers as `label`. */
export function TableSkeleton({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <Stack gap="xs" role="status" aria-busy="true">
      <VisuallyHidden>{label}</VisuallyHidden>
      <Skeleton height={36} radius="sm" />
      {Array.from({ length: rows }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders, never reordered.
        <Skeleton key={index} height={48} radius="sm" />
      ))}
    </Stack>
  );
}
