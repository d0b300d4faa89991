import { Box, Center, Text } from '@mantine/core';
import type { CSSProperties } from 'react';
import { useMediaItem } from '../../api/media.ts';
import { VideoStill } from '../../components/video-still.tsx';

const SIZE = 72;
const fill: CSSProperties = { width: '100%', height: '100%', objectFit: 'cover', display: 'block' };

/** The post's first file, small, with how many more there are; a plain square when there is none. */
export function PostThumbnail({ mediaIds }: { mediaIds: string[] }) {
  const first = useMediaItem(mediaIds[0]);
  const media = first.data;
  return (
    <Box
      pos="relative"
      w={SIZE}
      h={SIZE}
      bg="gray.1"
      style={{ flexShrink: 0, borderRadius: 'var(--mantine-radius-md)', overflow: 'hidden' }}
    >
      {media?.kind === 'image' && <img src={media.url} alt="" style={fill} loading="lazy" />}
      {media?.kind === 'video' && <VideoStill src={media.url} />}
      {!media && (
        <Center h="100%">
          <Text size="xs" c="dimmed">
            {mediaIds.length === 0 ? 'Text' : ''}
          </Text>
        </Center>
      )}
      {mediaIds.length > 1 && (
        <Text
          size="xs"
          fw={700}
          c="white"
          bg="rgba(0,0,0,0.6)"
          px={6}
          pos="absolute"
          right={4}
          bottom={4}
          style={{ borderRadius: 10 }}
          aria-label={`${mediaIds.length} files`}
        >
          +{mediaIds.length - 1}
        </Text>
      )}
    </Box>
  );
}
