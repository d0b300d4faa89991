import { Box, Center, Container, Paper, Stack } from '@mantine/core';
import { Outlet } from 'react-router';
import { Brand } from './brand.tsx';
import { SandboxBanner } from './sandbox-banner.tsx';

/** The frame of the sign-in and sign-up pages: a centered card under the brand. */
export function AuthLayout() {
  return (
    <Box mih="100dvh" bg="gray.0">
      <SandboxBanner />
      <Box component="main" id="main">
        <Container size={440} py={48} px="md">
          <Stack gap="lg">
            <Center>
              <Brand />
            </Center>
            <Paper withBorder shadow="sm" radius="md" p={{ base: 'lg', xs: 'xl' }}>
              <Outlet />
            </Paper>
          </Stack>
        </Container>
      </Box>
    </Box>
  );
}
