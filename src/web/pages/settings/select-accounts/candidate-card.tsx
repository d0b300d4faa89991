import { Avatar, Badge, Box, Checkbox, Group, Text } from '@mantine/core';
import type { FlowView } from '../../../../contracts/connected-accounts.ts';

export type Candidate = FlowView['candidates'][number];

interface CandidateCardProps {
  candidate: Candidate;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/** One account found by the flow, as a card that is itself the checkbox. */
export function CandidateCard({ candidate, checked, onChange }: CandidateCardProps) {
  const name = candidate.displayName ?? candidate.username ?? candidate.id;
  return (
    <Checkbox.Card checked={checked} onChange={onChange} radius="md" p="md" withBorder>
      <Group gap="md" wrap="nowrap" align="center">
        <Checkbox.Indicator />
        <Avatar src={candidate.profilePictureUrl} alt="" radius="xl" size="md" name={name} color="initials" />
        <Box miw={0} style={{ flex: 1 }}>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            {candidate.username ? `@${candidate.username}` : name}
          </Text>
          {candidate.username && candidate.displayName && (
            <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {candidate.displayName}
            </Text>
          )}
          {candidate.parent && (
            <Text size="sm" c="dimmed">
              via Page {candidate.parent.name}
            </Text>
          )}
          {candidate.alreadyConnected && (
            <Badge mt={6} variant="light" color="blue" tt="none" fw={500}>
              Already connected — will be updated
            </Badge>
          )}
        </Box>
      </Group>
    </Checkbox.Card>
  );
}
