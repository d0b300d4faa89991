import { Badge, Button, Code, Group, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { FailedJob } from '../../../contracts/admin.ts';
import { useRetryFailedJob } from '../../api/admin.ts';
import { errorMessage } from '../../api/client.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { type ModalItem, useModalItem } from '../../lib/use-modal-item.ts';
import { PROVIDER_LABELS } from '../settings/account-labels.ts';
import { Section, SectionTable } from './tables.tsx';

const what = (job: FailedJob) =>
  job.type === 'publish' ? `Post to ${PROVIDER_LABELS[job.provider]} of ${job.userEmail}` : `Job in ${job.queue}`;

function ConfirmRetryModal({ modal }: { modal: ModalItem<FailedJob> }) {
  const retry = useRetryFailedJob();
  const job = modal.item;
  const onConfirm = () => {
    if (!job) return;
    retry.mutate(job, {
      onSuccess: () => {
        notifications.show({
          color: 'green',
          title: 'Retry started',
          message: job.type === 'publish' ? 'The post is being published again.' : 'The job runs again.',
        });
        modal.close();
      },
      onError: (error) => notifications.show({ color: 'red', title: 'Could not retry', message: errorMessage(error) }),
    });
  };
  return (
    <Modal opened={modal.opened} onClose={modal.close} onExitTransitionEnd={modal.clear} title="Retry this job?">
      {job && (
        <Stack gap="lg">
          <Text size="sm">
            {job.type === 'publish'
              ? `${what(job)} is published again from the start, exactly as its owner's Retry would.`
              : `${what(job)} runs again with the same payload.`}
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={modal.close} disabled={retry.isPending} data-autofocus>
              Not now
            </Button>
            <Button onClick={onConfirm} loading={retry.isPending}>
              Retry
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** Recent failed publish targets and background jobs with their errors, each with Retry (confirmed first). */
export function FailedJobs({ jobs }: { jobs: FailedJob[] }) {
  const confirming = useModalItem<FailedJob>();
  return (
    <Section title="Failed jobs" empty={jobs.length === 0 ? 'Nothing failed in this window.' : undefined}>
      <SectionTable
        minWidth={760}
        head={
          <>
            <Table.Th>What</Table.Th>
            <Table.Th>Error</Table.Th>
            <Table.Th>Failed</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </>
        }
      >
        {jobs.map((job) => (
          <Table.Tr key={`${job.type}/${job.id}`}>
            <Table.Td>
              <Text size="sm" fw={500} id={`failed-${job.id}`}>
                {what(job)}
              </Text>
              <Badge variant="light" color="gray" tt="none" size="sm">
                {job.type === 'publish' ? 'publish-target' : `${job.retries} retries`}
              </Badge>
            </Table.Td>
            <Table.Td maw={420}>
              {job.type === 'publish' && job.code && <Code>{job.code}</Code>}
              <Text size="sm">{job.message ?? 'No message'}</Text>
            </Table.Td>
            <Table.Td>
              <time dateTime={job.failedAt} title={formatDateTime(job.failedAt)}>
                {formatRelative(job.failedAt)}
              </time>
            </Table.Td>
            <Table.Td ta="right">
              <Button
                variant="light"
                size="xs"
                onClick={() => confirming.open(job)}
                aria-describedby={`failed-${job.id}`}
              >
                Retry
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </SectionTable>
      <ConfirmRetryModal modal={confirming} />
    </Section>
  );
}
