import { ActionIcon, Box, Button, CloseButton, FileButton, Group, Progress, Stack, Text } from '@mantine/core';
import { type CSSProperties, type DragEvent, type ReactNode, useId, useState } from 'react';
import type { Media } from '../../../contracts/media.ts';
import type { MediaKind } from '../../../contracts/posts.ts';
import { POST_MEDIA_MAX } from '../../../contracts/posts.ts';
import { VideoStill } from '../../components/video-still.tsx';

/** One file of the post: being uploaded, in the library, or refused. */
export interface PickedMedia {
  key: string;
  name: string;
  status: 'uploading' | 'ready' | 'failed';
  /** From the file's type while it uploads, from the library afterwards. */
  kind: MediaKind;
  /** 0 to 1 while uploading. */
  progress: number;
  /** A small local picture of an image while it uploads (a data: URL; the CSP allows no blob:). */
  thumbnail: string | null;
  media: Media | null;
  error: string | null;
}

/** What the file input offers; the server judges the bytes anyway (JPEG, PNG, WebP, GIF, HEIC, AVIF, MP4, MOV). */
export const ACCEPT = 'image/*,video/mp4,video/quicktime,.heic,.heif,.mov';

const TILE = 104;
const fill: CSSProperties = { width: '100%', height: '100%', objectFit: 'cover', display: 'block' };

function Arrow({ direction }: { direction: 'left' | 'right' }) {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.4"
      aria-hidden="true"
    >
      <path d={direction === 'left' ? 'M15 5l-7 7 7 7' : 'M9 5l7 7-7 7'} strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function TileVisual({ item }: { item: PickedMedia }) {
  const src = item.media?.url ?? item.thumbnail;
  if (item.media?.kind === 'video') {
    return <VideoStill src={item.media.url} />;
  }
  if (src) return <img src={src} alt="" style={fill} />;
  return (
    <Text size="xs" c="dimmed" p={6} ta="center" style={{ overflowWrap: 'anywhere' }}>
      {item.name}
    </Text>
  );
}

function Corner({ children, style }: { children: ReactNode; style: CSSProperties }) {
  return <Box style={{ position: 'absolute', ...style }}>{children}</Box>;
}

interface TileProps {
  item: PickedMedia;
  index: number;
  count: number;
  onRemove: () => void;
  onMove: (delta: -1 | 1) => void;
}

function Tile({ item, index, count, onRemove, onMove }: TileProps) {
  const label = `${index + 1}. ${item.name}`;
  return (
    <Box component="li" w={TILE} aria-label={label} style={{ listStyle: 'none' }}>
      <Box
        pos="relative"
        w={TILE}
        h={TILE}
        bg="gray.1"
        style={{
          borderRadius: 'var(--mantine-radius-md)',
          overflow: 'hidden',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          outline: item.status === 'failed' ? '2px solid var(--mantine-color-red-6)' : undefined,
        }}
      >
        <TileVisual item={item} />
        <Corner style={{ top: 4, left: 4 }}>
          <Text size="xs" fw={700} c="white" bg="rgba(0,0,0,0.6)" px={6} style={{ borderRadius: 10 }}>
            {index + 1}
          </Text>
        </Corner>
        <Corner style={{ top: 2, right: 2 }}>
          <CloseButton
            size="sm"
            radius="xl"
            onClick={onRemove}
            aria-label={`Remove ${item.name}`}
            c="dark.7"
            bg="rgba(255,255,255,0.9)"
          />
        </Corner>
        {item.media?.kind === 'video' && item.media.durationMs !== null && (
          <Corner style={{ bottom: 4, right: 4 }}>
            <Text size="xs" fw={600} c="white" bg="rgba(0,0,0,0.6)" px={6} style={{ borderRadius: 10 }}>
              {Math.round(item.media.durationMs / 1000)} s
            </Text>
          </Corner>
        )}
        {item.status === 'uploading' && (
          <Corner style={{ left: 6, right: 6, bottom: 6 }}>
            <Progress
              value={Math.round(item.progress * 100)}
              size="md"
              radius="xl"
              animated={item.progress >= 1}
              aria-label={`Uploading ${item.name}`}
              bg="rgba(255,255,255,0.8)"
            />
          </Corner>
        )}
      </Box>
      {count > 1 && (
        <Group gap={4} justify="center" mt={4}>
          <ActionIcon
            size="sm"
            variant="default"
            onClick={() => onMove(-1)}
            disabled={index === 0}
            aria-label={`Move ${item.name} earlier`}
          >
            <Arrow direction="left" />
          </ActionIcon>
          <ActionIcon
            size="sm"
            variant="default"
            onClick={() => onMove(1)}
            disabled={index === count - 1}
            aria-label={`Move ${item.name} later`}
          >
            <Arrow direction="right" />
          </ActionIcon>
        </Group>
      )}
    </Box>
  );
}

interface MediaPickerProps {
  items: PickedMedia[];
  onFiles: (files: File[]) => void;
  onRemove: (key: string) => void;
  onMove: (key: string, delta: -1 | 1) => void;
  onOpenLibrary: () => void;
}

/** Drop zone and file button, the library, and the picked files in order with progress, reorder and remove. */
export function MediaPicker({ items, onFiles, onRemove, onMove, onOpenLibrary }: MediaPickerProps) {
  const labelId = useId();
  const [dragging, setDragging] = useState(false);
  const full = items.length >= POST_MEDIA_MAX;
  const failed = items.filter((item) => item.status === 'failed');

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  };

  return (
    <Stack gap="xs">
      <Text id={labelId} component="h2" fw={600} size="sm" m={0}>
        Photos and videos
      </Text>
      <Box
        p="md"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{
          border: `2px dashed var(--mantine-color-${dragging ? 'indigo-5' : 'gray-4'})`,
          borderRadius: 'var(--mantine-radius-md)',
          background: dragging ? 'var(--mantine-color-indigo-0)' : undefined,
        }}
      >
        <Stack gap="xs" align="center">
          <Text size="sm" ta="center">
            {full
              ? `That is ${POST_MEDIA_MAX} files, the most a post takes.`
              : 'Drop images or videos here, or choose them.'}
          </Text>
          <Group gap="xs" justify="center">
            <FileButton onChange={onFiles} accept={ACCEPT} multiple disabled={full}>
              {(props) => (
                <Button {...props} size="xs" disabled={full}>
                  Upload files
                </Button>
              )}
            </FileButton>
            <Button size="xs" variant="default" onClick={onOpenLibrary} disabled={full}>
              Choose from library
            </Button>
          </Group>
          <Text size="xs" c="dimmed" ta="center">
            JPEG, PNG, WebP, GIF or HEIC images (sent to Instagram as JPEG); MP4 or MOV videos.
          </Text>
        </Stack>
      </Box>
      {items.length > 0 && (
        <Group component="ul" gap="sm" p={0} m={0} align="flex-start" aria-labelledby={labelId}>
          {items.map((item, index) => (
            <Tile
              key={item.key}
              item={item}
              index={index}
              count={items.length}
              onRemove={() => onRemove(item.key)}
              onMove={(delta) => onMove(item.key, delta)}
            />
          ))}
        </Group>
      )}
      {failed.map((item) => (
        <Text key={item.key} size="sm" c="red.8" role="alert">
          {item.name} was not uploaded: {item.error}
        </Text>
      ))}
    </Stack>
  );
}
