import { SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useId } from 'react';
import { formatDateTime } from '../../lib/format.ts';
import { fromLocalInput, timeZoneLabel, toLocalInput } from '../../lib/local-time.ts';

export type When = 'now' | 'schedule';

interface ScheduleFieldProps {
  when: When;
  onWhenChange: (when: When) => void;
  /** The local date and time, as the input holds it ("2025-11-22T20:15"). */
  at: string;
  onAtChange: (at: string) => void;
  error?: string;
}

/** Publish now, or at a date and time in the browser's time zone (which is shown). */
export function ScheduleField({ when, onWhenChange, at, onAtChange, error }: ScheduleFieldProps) {
  const labelId = useId();
  const moment = fromLocalInput(at);
  const zone = timeZoneLabel(moment ?? new Date());
  return (
    <Stack gap="xs">
      <Text id={labelId} component="h2" fw={600} size="sm" m={0}>
        When
      </Text>
      <SegmentedControl
        aria-labelledby={labelId}
        value={when}
        onChange={(value) => onWhenChange(value as When)}
        data={[
          { value: 'now', label: 'Publish now' },
          { value: 'schedule', label: 'Schedule' },
        ]}
        style={{ alignSelf: 'flex-start' }}
      />
      {when === 'schedule' && (
        <TextInput
          type="datetime-local"
          label="Date and time"
          description={`Your time zone: ${zone}`}
          value={at}
          min={toLocalInput(new Date())}
          onChange={(event) => onAtChange(event.currentTarget.value)}
          error={error}
          maw={320}
        />
      )}
      {when === 'schedule' && moment && !error && (
        <Text size="xs" c="dimmed">
          Publishes {formatDateTime(moment.toISOString())} in {zone}.
        </Text>
      )}
    </Stack>
  );
}
