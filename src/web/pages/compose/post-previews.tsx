import { Box, Stack, Text } from '@mantine/core';
import type { ConnectedAccount } from '../../../contracts/connected-accounts.ts';
import type { PostKind } from '../../../contracts/posts.ts';
import type { Platform } from '../../../contracts/providers.ts';
import { FacebookPreview, LinkedInPreview } from './feed-card.tsx';
import { PLATFORM_NAMES, type ProviderIndex } from './platforms.ts';
import { InstagramPreview, type PreviewItem } from './post-preview.tsx';

interface PostPreviewsProps {
  platforms: Platform[];
  /** The chosen accounts; each platform's preview shows its first one. */
  accounts: ConnectedAccount[];
  providers: ProviderIndex;
  caption: string;
  instagramKind: PostKind;
  items: PreviewItem[];
}

function PlatformPreview({
  platform,
  account,
  caption,
  instagramKind,
  items,
}: Omit<PostPreviewsProps, 'platforms' | 'accounts' | 'providers'> & {
  platform: Platform;
  account: ConnectedAccount | undefined;
}) {
  const name = account?.displayName ?? account?.username ?? 'Your account';
  const avatarUrl = account?.profilePictureUrl ?? null;
  switch (platform) {
    case 'instagram':
      return (
        <InstagramPreview
          username={account?.username ?? null}
          avatarUrl={avatarUrl}
          caption={caption}
          kind={instagramKind}
          items={items}
        />
      );
    case 'facebook':
      return <FacebookPreview name={name} avatarUrl={avatarUrl} caption={caption} items={items} />;
    case 'linkedin':
      return (
        <LinkedInPreview
          name={name}
          avatarUrl={avatarUrl}
          caption={caption}
          items={items}
          organization={account?.provider === 'linkedin_org'}
        />
      );
  }
}

/**
 * How the post will look on each platform it goes to, one preview per platform. A single preview
 * stays in view while the form scrolls; several are stacked and scroll with the page.
 */
export function PostPreviews({ platforms, accounts, providers, ...post }: PostPreviewsProps) {
  const several = platforms.length > 1;
  return (
    <Box
      pos={several ? undefined : 'sticky'}
      top={several ? undefined : 'calc(var(--app-shell-header-offset, 60px) + var(--mantine-spacing-md))'}
    >
      <Stack gap="xs">
        <Text component="h2" fw={600} size="sm" m={0}>
          {several ? 'Previews' : 'Preview'}
        </Text>
        <Stack gap="lg">
          {platforms.map((platform) => (
            <Stack key={platform} gap={6}>
              {several && (
                <Text size="xs" fw={600} c="dimmed" tt="uppercase" aria-hidden="true">
                  {PLATFORM_NAMES[platform]}
                </Text>
              )}
              <PlatformPreview
                platform={platform}
                account={accounts.find((account) => providers.get(account.provider)?.platform === platform)}
                {...post}
              />
            </Stack>
          ))}
        </Stack>
      </Stack>
    </Box>
  );
}
