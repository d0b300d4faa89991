import { Avatar, Box, Center, Group, Paper, Stack, Text } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import type { MediaKind, PostKind } from '../../../contracts/posts.ts';
import { VideoStill } from '../../components/video-still.tsx';
import { KINDS } from '../../lib/instagram-rules.ts';
import { truncate } from './truncate.ts';

/** What the preview needs of one picked file. */
export interface PreviewItem {
  key: string;
  kind: MediaKind;
  /** Where to show it from: the library's URL, a small local thumbnail while uploading, or nothing yet. */
  src: string | null;
  width: number | null;
  height: number | null;
}

interface InstagramPreviewProps {
  username: string | null;
  avatarUrl: string | null;
  caption: string;
  kind: PostKind;
  items: PreviewItem[];
}

/** Instagram shows about this much of a feed caption (and only its first two lines) before "… more". */
const CAPTION_FOLD = { chars: 125, lines: 2 };

const FEED_MIN_ASPECT = 4 / 5;
const FEED_MAX_ASPECT = 1.91;

/** The feed's frame: the first item's own shape, within the 4:5 to 1.91:1 Instagram shows. */
function feedAspect(item: PreviewItem | undefined): number {
  if (!item?.width || !item.height) return 1;
  return Math.min(Math.max(item.width / item.height, FEED_MIN_ASPECT), FEED_MAX_ASPECT);
}

const fill: CSSProperties = { width: '100%', height: '100%', objectFit: 'cover', display: 'block' };

function Visual({ item }: { item: PreviewItem | undefined }) {
  if (!item?.src) {
    return (
      <Center h="100%" c="dimmed" p="md">
        <Text size="sm" ta="center">
          {item ? 'Uploading…' : 'Your photo or video shows here'}
        </Text>
      </Center>
    );
  }
  if (item.kind === 'video') {
    // The first frame stands in for a poster; the player has no controls in a preview.
    return <VideoStill src={item.src} />;
  }
  return <img src={item.src} alt="" style={fill} />;
}

function Frame({ aspect, children }: { aspect: number; children: ReactNode }) {
  return (
    <Box pos="relative" bg="gray.1" style={{ aspectRatio: String(aspect), overflow: 'hidden' }}>
      {children}
    </Box>
  );
}

function Dots({ count }: { count: number }) {
  return (
    <Group gap={4} justify="center" aria-hidden="true">
      {Array.from({ length: Math.min(count, 10) }, (_, index) => (
        <Box
          // biome-ignore lint/suspicious/noArrayIndexKey: identical dots, never reordered.
          key={index}
          w={6}
          h={6}
          bg={index === 0 ? 'blue.6' : 'gray.4'}
          style={{ borderRadius: '50%' }}
        />
      ))}
    </Group>
  );
}

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      width="22"
      height="22"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      aria-hidden="true"
    >
      {children}
    </svg>
  );
}

/** Like, comment, share and save; a carousel's dots sit between them, as on Instagram. */
function ActionIcons({ dots }: { dots: number }) {
  return (
    <Group justify="space-between" px="sm" pt={8} c="dark.7" pos="relative" aria-hidden="true">
      <Group gap="md">
        <Icon>
          <path d="M12 20s-7-4.35-7-10a4 4 0 0 1 7-2.65A4 4 0 0 1 19 10c0 5.65-7 10-7 10z" strokeLinejoin="round" />
        </Icon>
        <Icon>
          <path d="M20 12a8 8 0 1 1-3.2-6.4L20 4l-.9 4.1A8 8 0 0 1 20 12z" strokeLinejoin="round" />
        </Icon>
        <Icon>
          <path d="M21 3 10 14M21 3l-7 18-4-7-7-4 18-7z" strokeLinejoin="round" />
        </Icon>
      </Group>
      {dots > 1 && (
        <Box pos="absolute" left={0} right={0} top={16}>
          <Dots count={dots} />
        </Box>
      )}
      <Icon>
        <path d="M6 3h12v18l-6-4-6 4z" strokeLinejoin="round" />
      </Icon>
    </Group>
  );
}

function Header({ username, avatarUrl, light }: { username: string; avatarUrl: string | null; light?: boolean }) {
  return (
    <Group gap={8} wrap="nowrap" px="sm" py={8}>
      <Avatar src={avatarUrl} alt="" size={28} radius="xl" name={username} color="initials" />
      <Text size="sm" fw={600} c={light ? 'white' : undefined} truncate="end" style={{ minWidth: 0 }}>
        {username}
      </Text>
    </Group>
  );
}

function Caption({ username, caption, light }: { username: string; caption: string; light?: boolean }) {
  if (!caption.trim()) return null;
  const { text, more } = truncate(caption, CAPTION_FOLD);
  return (
    <Text size="sm" c={light ? 'white' : undefined} style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
      <Text span fw={600} inherit>
        {username}
      </Text>{' '}
      {text}
      {more && (
        <Text span c={light ? 'gray.3' : 'dimmed'} inherit>
          … more
        </Text>
      )}
    </Text>
  );
}

const overlay = (position: 'top' | 'bottom'): CSSProperties => ({
  position: 'absolute',
  left: 0,
  right: 0,
  [position]: 0,
  background: `linear-gradient(to ${position === 'top' ? 'bottom' : 'top'}, rgba(0,0,0,0.55), transparent)`,
});

/** How the post will look on Instagram, roughly: a feed card, or a full-height reel or story. */
export function InstagramPreview({ username, avatarUrl, caption, kind, items }: InstagramPreviewProps) {
  const name = username ?? 'your.account';
  const first = items[0];
  const tall = kind === 'reel' || kind === 'story';

  return (
    <Stack gap="xs">
      <Paper
        withBorder
        radius="md"
        maw={360}
        w="100%"
        style={{ overflow: 'hidden' }}
        role="figure"
        aria-label={`Instagram preview of the ${KINDS[kind].label.toLowerCase()} post`}
      >
        {tall ? (
          <Frame aspect={9 / 16}>
            <Visual item={first} />
            {kind === 'story' && (
              <Box style={overlay('top')} pt={6}>
                <Box mx="sm" h={2} bg="rgba(255,255,255,0.8)" style={{ borderRadius: 1 }} />
                <Header username={name} avatarUrl={avatarUrl} light />
              </Box>
            )}
            {kind === 'reel' && (
              <Box style={overlay('bottom')} p="sm" pt="xl">
                <Group gap={8} wrap="nowrap" mb={6}>
                  <Avatar src={avatarUrl} alt="" size={28} radius="xl" name={name} color="initials" />
                  <Text size="sm" fw={600} c="white" truncate="end" style={{ minWidth: 0 }}>
                    {name}
                  </Text>
                </Group>
                <Box
                  style={{
                    display: '-webkit-box',
                    WebkitLineClamp: 2,
                    WebkitBoxOrient: 'vertical',
                    overflow: 'hidden',
                  }}
                >
                  <Text size="sm" c="white" style={{ overflowWrap: 'anywhere' }}>
                    {caption.trim()}
                  </Text>
                </Box>
              </Box>
            )}
          </Frame>
        ) : (
          <>
            <Header username={name} avatarUrl={avatarUrl} />
            <Frame aspect={feedAspect(first)}>
              <Visual item={first} />
              {kind === 'carousel' && items.length > 1 && (
                <Text
                  size="xs"
                  fw={600}
                  c="white"
                  bg="rgba(0,0,0,0.6)"
                  px={8}
                  py={2}
                  pos="absolute"
                  top={10}
                  right={10}
                  style={{ borderRadius: 12 }}
                >
                  1/{items.length}
                </Text>
              )}
            </Frame>
            <ActionIcons dots={kind === 'carousel' ? items.length : 0} />
            <Box px="sm" pt={6} pb="sm">
              <Caption username={name} caption={caption} />
            </Box>
          </>
        )}
      </Paper>
      {kind === 'story' && caption.trim() && (
        <Text size="xs" c="dimmed" maw={360}>
          Stories have no caption: Instagram publishes the story without it.
        </Text>
      )}
    </Stack>
  );
}
