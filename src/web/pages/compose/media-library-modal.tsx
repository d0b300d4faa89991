import { Box, Button, Checkbox, Group, Modal, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { type CSSProperties, type ReactNode, useState } from 'react';
import type { Media } from '../../../contracts/media.ts';
import { useMediaLibrary } from '../../api/media.ts';
import { ErrorAlert } from '../../components/page-status.tsx';
import { VideoStill } from '../../components/video-still.tsx';

const fill: CSSProperties = { width: '100%', height: '100%', objectFit: 'cover', display: 'block' };

function describe(media: Media): string {
  const size = media.width && media.height ? `${media.width}×${media.height}` : '';
  const length = media.durationMs !== null ? `${Math.round(media.durationMs / 1000)} s` : '';
  return [media.kind === 'video' ? 'Video' : 'Image', size, length].filter(Boolean).join(' · ');
}

function LibraryTile({
  media,
  checked,
  onChange,
}: {
  media: Media;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const name = media.fileName ?? describe(media);
  return (
    <Checkbox.Card
      checked={checked}
      onChange={onChange}
      radius="md"
      p={4}
      withBorder
      aria-label={`${name}, ${describe(media)}`}
    >
      <Box
        pos="relative"
        style={{ aspectRatio: '1', overflow: 'hidden', borderRadius: 'var(--mantine-radius-sm)' }}
        bg="gray.1"
      >
        {media.kind === 'video' ? (
          <VideoStill src={media.url} />
        ) : (
          <img src={media.url} alt="" style={fill} loading="lazy" />
        )}
        <Box pos="absolute" top={6} left={6}>
          <Checkbox.Indicator />
        </Box>
      </Box>
      <Text size="xs" mt={4} truncate="end" title={name}>
        {name}
      </Text>
      <Text size="xs" c="dimmed" truncate="end">
        {describe(media)}
      </Text>
    </Checkbox.Card>
  );
}

interface MediaLibraryModalProps {
  opened: boolean;
  onClose: () => void;
  /** Already in the post: not offered again. */
  exclude: readonly string[];
  onPick: (media: Media[]) => void;
}

/** Pick files uploaded earlier, newest first, in the order they are ticked. */
export function MediaLibraryModal({ opened, onClose, exclude, onPick }: MediaLibraryModalProps) {
  const library = useMediaLibrary({ enabled: opened });
  const [picked, setPicked] = useState<Media[]>([]);
  const items = (library.data?.pages ?? [])
    .flatMap((page) => page.media)
    .filter((media) => !exclude.includes(media.id));

  const toggle = (media: Media, checked: boolean) =>
    setPicked((current) => (checked ? [...current, media] : current.filter((item) => item.id !== media.id)));

  let content: ReactNode;
  if (library.isPending) {
    content = (
      <SimpleGrid
        cols={{ base: 2, xs: 3, sm: 4 }}
        spacing="sm"
        role="status"
        aria-busy="true"
        aria-label="Loading your library"
      >
        {['a', 'b', 'c', 'd'].map((key) => (
          <Skeleton key={key} style={{ aspectRatio: '1' }} />
        ))}
      </SimpleGrid>
    );
  } else if (library.isError) {
    content = (
      <ErrorAlert
        title="Could not load your library"
        error={library.error}
        onRetry={() => void library.refetch()}
        retrying={library.isFetching}
      />
    );
  } else if (items.length === 0) {
    content = (
      <Text size="sm" c="dimmed">
        {exclude.length > 0
          ? 'Everything in your library is already in this post.'
          : 'Your library is empty. Files you upload are kept here to use again.'}
      </Text>
    );
  } else {
    content = (
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 2, xs: 3, sm: 4 }} spacing="sm">
          {items.map((media) => (
            <LibraryTile
              key={media.id}
              media={media}
              checked={picked.some((item) => item.id === media.id)}
              onChange={(checked) => toggle(media, checked)}
            />
          ))}
        </SimpleGrid>
        {library.hasNextPage && (
          <Button
            variant="default"
            size="xs"
            onClick={() => void library.fetchNextPage()}
            loading={library.isFetchingNextPage}
            style={{ alignSelf: 'center' }}
          >
            Load more
          </Button>
        )}
      </Stack>
    );
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={() => setPicked([])}
      title="Choose from your library"
      size="lg"
    >
      <Stack gap="lg">
        {content}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => onPick(picked)} disabled={picked.length === 0}>
            {picked.length > 1 ? `Add ${picked.length} files` : 'Add file'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
