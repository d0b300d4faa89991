import {
  ActionIcon,
  Button,
  Divider,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useNavigate } from 'react-router';
import { useMarkAllRead, useNotifications } from '../api/notifications.ts';
import { formatDateTime, formatRelative } from '../lib/format.ts';
import { postPagePath } from '../lib/publishing-paths.ts';
import { HOME_PATH } from '../lib/redirect.ts';

function BellIcon() {
  return (
    <svg
      width="20"
      height="20"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8" strokeLinejoin="round" />
      <path d="M10.3 20a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" />
    </svg>
  );
}

/** The header bell: unread count, the recent notifications, and "Mark all as read". */
export function NotificationBell() {
  const { data } = useNotifications();
  const markAllRead = useMarkAllRead();
  const navigate = useNavigate();
  const unread = data?.unread ?? 0;
  const items = data?.notifications ?? [];
  const label = unread > 0 ? `Notifications, ${unread} unread` : 'Notifications';

  return (
    <Popover width={340} position="bottom-end" shadow="md" withArrow>
      <Popover.Target>
        <Indicator label={unread} size={16} disabled={unread === 0} offset={4} color="red">
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label}>
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} aria-label="Notifications">
        <Text fw={600} size="sm" px="md" py="sm">
          Notifications
        </Text>
        <Divider />
        {items.length === 0 ? (
          <Text size="sm" c="dimmed" px="md" py="lg">
            Nothing new. Tether tells you here when a post goes out or fails, and when a connection is about to expire
            or needs you.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={360}>
            <Stack gap={0}>
              {items.map((item) => (
                <UnstyledButton
                  key={item.id}
                  px="md"
                  py="sm"
                  bg={item.readAt ? undefined : 'var(--mantine-color-blue-light)'}
                  onClick={() => void navigate(item.postId ? postPagePath(item.postId) : HOME_PATH)}
                >
                  <Stack gap={2}>
                    <Text size="sm" fw={item.readAt ? 400 : 600}>
                      {item.title}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {item.body}
                    </Text>
                    <Text size="xs" c="dimmed" title={formatDateTime(item.createdAt)}>
                      {formatRelative(item.createdAt)}
                    </Text>
                  </Stack>
                </UnstyledButton>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        {unread > 0 && (
          <>
            <Divider />
            <Button
              variant="subtle"
              size="xs"
              fullWidth
              onClick={() => markAllRead.mutate()}
              loading={markAllRead.isPending}
            >
              Mark all as read
            </Button>
          </>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
