import { Box, Text } from '@mantine/core';
import type { Ref } from 'react';
import { useInstance } from '../api/instance.ts';

/**
 * A yellow bar across the top while the instance runs in sandbox mode, so nobody mistakes
 * simulated posts for real ones. Renders nothing otherwise (or while the answer is pending).
 */
export function SandboxBanner({ ref }: { ref?: Ref<HTMLDivElement> }) {
  const { data } = useInstance();
  if (!data?.sandbox) return null;
  return (
    // The ref is on an unpadded wrapper so a measured height includes the padding.
    <div ref={ref}>
      <Box role="note" aria-label="Sandbox mode" bg="yellow.2" c="dark.8" px="md" py={6}>
        <Text size="sm" ta="center" fw={500}>
          <Text span fw={700} inherit>
            Sandbox mode
          </Text>{' '}
          — providers are simulated; nothing is posted to Meta or LinkedIn.
        </Text>
      </Box>
    </div>
  );
}
