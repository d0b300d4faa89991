import { Group, Radio, SimpleGrid, Text } from '@mantine/core';
import { useId } from 'react';
import type { PostKind } from '../../../contracts/posts.ts';
import { KINDS } from '../../lib/instagram-rules.ts';

interface KindSelectorProps {
  /** "Instagram post type". */
  title: string;
  /** The kinds offered, in order. */
  kinds: readonly PostKind[];
  value: PostKind;
  onChange: (kind: PostKind) => void;
  /** Why the chosen media do not fit the kind yet, if they do not. */
  mismatch: string | null;
}

/** A platform's post kinds (Instagram: Feed, Reel, Story, Carousel), each with what it takes; a hint when the media do not fit. */
export function KindSelector({ title, kinds, value, onChange, mismatch }: KindSelectorProps) {
  const labelId = useId();
  const hintId = useId();
  return (
    <Radio.Group
      value={value}
      onChange={(next) => onChange(next as PostKind)}
      aria-labelledby={labelId}
      aria-describedby={mismatch ? hintId : undefined}
    >
      <Text id={labelId} component="h2" fw={600} size="sm" m={0} mb="xs">
        {title}
      </Text>
      <SimpleGrid cols={{ base: 2, xl: 4 }} spacing="xs">
        {kinds.map((kind) => (
          <Radio.Card key={kind} value={kind} radius="md" p="sm" withBorder>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Radio.Indicator size="sm" mt={2} />
              <div>
                <Text fw={600} size="sm">
                  {KINDS[kind].label}
                </Text>
                <Text size="xs" c="dimmed">
                  {KINDS[kind].takes}
                </Text>
              </div>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
      <Text id={hintId} size="sm" c="orange.9" mt={6} aria-live="polite">
        {mismatch}
      </Text>
    </Radio.Group>
  );
}
