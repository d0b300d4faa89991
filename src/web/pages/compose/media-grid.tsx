import { Box, Center, Text } from '@mantine/core';
import type { CSSProperties } from 'react';
import { VideoStill } from '../../components/video-still.tsx';
import type { PreviewItem } from './post-preview.tsx';

const fill: CSSProperties = { width: '100%', height: '100%', objectFit: 'cover', display: 'block' };

/** The most tiles a feed shows; the last one says how many more there are. */
const MAX_TILES = 4;

function Tile({ item, more }: { item: PreviewItem; more: number }) {
  return (
    <Box pos="relative" bg="gray.2" style={{ overflow: 'hidden', minHeight: 0 }}>
      {item.src ? (
        item.kind === 'video' ? (
          <VideoStill src={item.src} />
        ) : (
          <img src={item.src} alt="" style={fill} />
        )
      ) : (
        <Center h="100%" c="dimmed">
          <Text size="xs">Uploading…</Text>
        </Center>
      )}
      {more > 0 && (
        <Center pos="absolute" inset={0} bg="rgba(0,0,0,0.45)">
          <Text c="white" fw={700} size="xl">
            +{more}
          </Text>
        </Center>
      )}
    </Box>
  );
}

/** Rows and columns of 1 to 4 tiles, as Facebook and LinkedIn lay out several images. */
const LAYOUTS: Record<number, { columns: string; rows: string; areas: string[] }> = {
  1: { columns: '1fr', rows: '1fr', areas: ['"a"'] },
  2: { columns: '1fr 1fr', rows: '1fr', areas: ['"a b"'] },
  3: { columns: '1fr 1fr', rows: '2fr 1fr', areas: ['"a a"', '"b c"'] },
  4: { columns: '1fr 1fr 1fr', rows: '2fr 1fr', areas: ['"a a a"', '"b c d"'] },
};
const AREAS = ['a', 'b', 'c', 'd'];

/**
 * Several images the way a feed shows them: one large, the next ones in a row under it, and a
 * "+N" on the last tile for the rest. One image keeps its own shape, within `aspect` bounds.
 */
export function MediaGrid({ items, aspect }: { items: PreviewItem[]; aspect: { min: number; max: number } }) {
  const first = items[0];
  if (!first) return null;
  const shown = items.slice(0, MAX_TILES);
  const layout = LAYOUTS[shown.length] ?? LAYOUTS[1];
  const own = first.width && first.height ? first.width / first.height : 1;
  const ratio = shown.length === 1 ? Math.min(Math.max(own, aspect.min), aspect.max) : 1;
  return (
    <Box
      style={{
        display: 'grid',
        gap: 2,
        aspectRatio: String(ratio),
        gridTemplateColumns: layout?.columns,
        gridTemplateRows: layout?.rows,
        gridTemplateAreas: layout?.areas.join(' '),
      }}
    >
      {shown.map((item, index) => (
        <Box key={item.key} style={{ gridArea: AREAS[index], display: 'grid', minHeight: 0 }}>
          <Tile item={item} more={index === shown.length - 1 ? items.length - shown.length : 0} />
        </Box>
      ))}
    </Box>
  );
}
