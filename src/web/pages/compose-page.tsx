import { Alert, Button, EmptyState, Grid, Group, Paper, Skeleton, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ConnectedAccount } from '../../contracts/connected-accounts.ts';
import type { CreatePostBody, PostKind } from '../../contracts/posts.ts';
import type { Platform, ProviderInfo } from '../../contracts/providers.ts';
import { ApiError, type ErrorDetail, errorMessage } from '../api/client.ts';
import { useConnectedAccounts } from '../api/connected-accounts.ts';
import { useUploadMedia } from '../api/media.ts';
import { useCreatePost, usePostCheck } from '../api/posts.ts';
import { useProviders } from '../api/providers.ts';
import { OutlineIcon } from '../components/outline-icon.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { ErrorAlert } from '../components/page-status.tsx';
import { kindMismatch, suggestedKind } from '../lib/instagram-rules.ts';
import { defaultScheduleTime, fromLocalInput, toLocalInput } from '../lib/local-time.ts';
import { POSTS_PATH, POSTS_VIEW_PARAM } from '../lib/publishing-paths.ts';
import { ACCOUNTS_PATH, AccountPicker } from './compose/account-picker.tsx';
import { CaptionField } from './compose/caption-field.tsx';
import { KindSelector } from './compose/kind-selector.tsx';
import { MediaLibraryModal } from './compose/media-library-modal.tsx';
import { MediaPicker } from './compose/media-picker.tsx';
import { isPublishable, kindsOf, PLATFORM_NAMES, type ProviderIndex, platformsOf } from './compose/platforms.ts';
import type { PreviewItem } from './compose/post-preview.tsx';
import { PostPreviews } from './compose/post-previews.tsx';
import { ScheduleField, type When } from './compose/schedule-field.tsx';
import { type Uploader, usePickedMedia } from './compose/use-picked-media.ts';
import { accountName } from './settings/connected-accounts/account-name.ts';

function ComposeIcon() {
  return (
    <OutlineIcon>
      <path d="M12 20h9" />
      <path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z" />
    </OutlineIcon>
  );
}

/** Problems of a post, split into each account's and the rest. */
interface Problems {
  byAccount: Map<string, ErrorDetail[]>;
  general: ErrorDetail[];
}

function splitProblems(details: readonly ErrorDetail[], accountIds: ReadonlySet<string>): Problems {
  const byAccount = new Map<string, ErrorDetail[]>();
  const general: ErrorDetail[] = [];
  for (const detail of details) {
    if (detail.target && accountIds.has(detail.target))
      byAccount.set(detail.target, [...(byAccount.get(detail.target) ?? []), detail]);
    else general.push(detail);
  }
  return { byAccount, general };
}

/** The server's refusal: its message and its problems. */
interface Refusal extends Problems {
  message: string;
}

function readRefusal(error: unknown, accountIds: ReadonlySet<string>): Refusal {
  return {
    message: errorMessage(error),
    ...splitProblems(error instanceof ApiError ? error.details : [], accountIds),
  };
}

/** How long the composer waits after the last edit before asking the server to check the post. */
const CHECK_DELAY_MS = 400;

interface FormErrors {
  accounts?: string;
  media?: string;
  at?: string;
}

/**
 * The server's live check of the post, a moment after the last edit: each account's problems
 * before anything is submitted. Not while files upload (the post is not what it will be yet).
 */
function useLiveCheck(body: CreatePostBody | null) {
  const [key] = useDebouncedValue(body ? JSON.stringify(body) : null, CHECK_DELAY_MS);
  const check = usePostCheck(key ? (JSON.parse(key) as CreatePostBody) : null);
  return body && check.data ? check.data : [];
}

interface ComposerProps {
  accounts: ConnectedAccount[];
  providers: ProviderIndex;
}

function Composer({ accounts, providers }: ComposerProps) {
  const navigate = useNavigate();
  const create = useCreatePost();
  const publishable = accounts.filter((account) => isPublishable(account, providers));
  const uploadMedia = useUploadMedia();
  const upload: Uploader = (file, { onProgress, signal }) =>
    uploadMedia.mutateAsync({ file, signal, onProgress: (progress) => onProgress(progress.fraction) });
  const media = usePickedMedia(upload);
  const [libraryOpen, setLibraryOpen] = useState(false);
  const [caption, setCaption] = useState('');
  // With one account there is nothing to choose.
  const [selected, setSelected] = useState<ReadonlySet<string>>(
    () => new Set(publishable.length === 1 && publishable[0] ? [publishable[0].id] : []),
  );
  const [chosenKinds, setChosenKinds] = useState<Partial<Record<Platform, PostKind>>>({});
  const [when, setWhen] = useState<When>('now');
  const [at, setAt] = useState(() => toLocalInput(defaultScheduleTime()));
  const [errors, setErrors] = useState<FormErrors>({});
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const ready = media.items.flatMap((item) => (item.status === 'ready' && item.media ? [item.media] : []));
  // What the post will hold once the uploads finish: the kinds and the previews go by these.
  const usable = media.items.filter((item) => item.status !== 'failed');
  const uploading = media.items.some((item) => item.status === 'uploading');
  const chosenAccounts = publishable.filter((account) => selected.has(account.id));
  const platforms = platformsOf(chosenAccounts, providers);
  /** A platform's kind: picked by hand, else the one that fits the media best (feed where that is all). */
  const kindOf = (platform: Platform): PostKind => {
    const kinds = kindsOf(platform, providers);
    const chosen = chosenKinds[platform];
    if (chosen && kinds.includes(chosen)) return chosen;
    const suggested = suggestedKind(usable);
    return kinds.includes(suggested) ? suggested : (kinds[0] ?? 'feed');
  };
  const platformOf = (account: ConnectedAccount) => providers.get(account.provider)?.platform ?? 'instagram';
  const scheduledAt = when === 'schedule' ? fromLocalInput(at)?.toISOString() : undefined;
  const body: CreatePostBody = {
    caption,
    mediaIds: ready.map((item) => item.id),
    targets: chosenAccounts.map((account) => ({ accountId: account.id, kind: kindOf(platformOf(account)) })),
    ...(scheduledAt ? { scheduledAt } : {}),
  };
  const live = splitProblems(useLiveCheck(chosenAccounts.length > 0 && !uploading ? body : null), selected);
  // After a refusal, its problems stand until the next edit; until then, the live check's.
  const problems = refusal ?? live;

  /** Anything edited makes the last refusal stale. */
  const edited = () => {
    setRefusal(null);
    create.reset();
  };

  const toggle = (id: string, checked: boolean) => {
    edited();
    setErrors((current) => ({ ...current, accounts: undefined }));
    setSelected((current) => {
      const next = new Set(current);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  const tooMany = (left: number) => {
    if (left > 0)
      notifications.show({
        color: 'yellow',
        title: `${left} ${left === 1 ? 'file was' : 'files were'} left out`,
        message: 'A post takes up to 10 photos and videos.',
      });
  };

  const check = (): FormErrors => {
    const found: FormErrors = {};
    if (selected.size === 0) found.accounts = 'Choose at least one account to publish to.';
    if (media.items.some((item) => item.status === 'failed'))
      found.media = 'Remove the files that did not upload, or upload them again.';
    if (when === 'schedule') {
      const moment = fromLocalInput(at);
      if (!moment) found.at = 'Choose a date and a time.';
      else if (moment.getTime() <= Date.now()) found.at = 'Choose a time in the future.';
    }
    return found;
  };

  const onSubmit = () => {
    const found = check();
    setErrors(found);
    setRefusal(null);
    if (found.accounts || found.media || found.at) return;
    create.mutate(body, {
      onSuccess: (post) => {
        const names = post.targets.map(accountName).join(', ');
        notifications.show({
          color: 'green',
          title: scheduledAt ? 'Post scheduled' : 'Publishing',
          message: scheduledAt ? `It goes out to ${names} at the chosen time.` : `Sending it to ${names} now.`,
        });
        void navigate(scheduledAt ? `${POSTS_PATH}?${POSTS_VIEW_PARAM}=upcoming` : POSTS_PATH);
      },
      onError: (error) => setRefusal(readRefusal(error, selected)),
    });
  };

  const previewItems: PreviewItem[] = usable.map((item) => ({
    key: item.key,
    kind: item.kind,
    src: item.media?.url ?? item.thumbnail,
    width: item.media?.width ?? null,
    height: item.media?.height ?? null,
  }));
  // Before any account is chosen, the first one's platform stands in.
  const fallback = publishable[0];
  const previewPlatforms = platforms.length > 0 || !fallback ? platforms : [platformOf(fallback)];
  const previewAccounts = chosenAccounts.length > 0 ? chosenAccounts : publishable;

  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="lg">
          <AccountPicker
            accounts={accounts}
            providers={providers}
            selected={selected}
            onToggle={toggle}
            problems={problems.byAccount}
            error={errors.accounts}
          />
          <MediaPicker
            items={media.items}
            onFiles={(files) => {
              edited();
              tooMany(media.addFiles(files));
            }}
            onRemove={(key) => {
              edited();
              media.remove(key);
            }}
            onMove={(key, delta) => {
              edited();
              media.move(key, delta);
            }}
            onOpenLibrary={() => setLibraryOpen(true)}
          />
          {errors.media && (
            <Text size="sm" c="red.8" role="alert" mt={-8}>
              {errors.media}
            </Text>
          )}
          {platforms.map((platform) => {
            const kinds = kindsOf(platform, providers);
            if (kinds.length < 2) return null;
            const kind = kindOf(platform);
            return (
              <KindSelector
                key={platform}
                title={platforms.length > 1 ? `${PLATFORM_NAMES[platform]} post type` : 'Post type'}
                kinds={kinds}
                value={kind}
                onChange={(next) => {
                  edited();
                  setChosenKinds((current) => ({ ...current, [platform]: next }));
                }}
                mismatch={kindMismatch(kind, usable)}
              />
            );
          })}
          <CaptionField
            platforms={previewPlatforms}
            value={caption}
            onChange={(value) => {
              edited();
              setCaption(value);
            }}
          />
          <ScheduleField
            when={when}
            onWhenChange={(value) => {
              setWhen(value);
              setErrors((current) => ({ ...current, at: undefined }));
            }}
            at={at}
            onAtChange={(value) => {
              setAt(value);
              setErrors((current) => ({ ...current, at: undefined }));
            }}
            error={errors.at}
          />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <PostPreviews
          platforms={previewPlatforms}
          accounts={previewAccounts}
          providers={providers}
          caption={caption}
          instagramKind={kindOf('instagram')}
          items={previewItems}
        />
      </Grid.Col>
      {/* After the preview on phones, so the post is seen before it goes out; under the form on wide screens. */}
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="lg">
          {refusal && (
            <Alert color="red" variant="light" title="Nothing was published" role="alert">
              <Stack gap={4}>
                <Text size="sm">
                  {refusal.byAccount.size > 0
                    ? 'Fix the problems marked next to each account, then try again.'
                    : refusal.message}
                </Text>
                {refusal.general.map((detail) => (
                  <Text key={`${detail.code}:${detail.message}`} size="sm">
                    {detail.message}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          <Stack gap={2} aria-live="polite">
            {!refusal &&
              live.general.map((detail) => (
                <Text key={`${detail.code}:${detail.message}`} size="sm" c="red.8">
                  {detail.message}
                </Text>
              ))}
          </Stack>
          <Group gap="sm">
            <Button onClick={onSubmit} loading={create.isPending} disabled={uploading}>
              {when === 'schedule' ? 'Schedule' : 'Publish now'}
            </Button>
            {uploading && (
              <Text size="sm" c="dimmed">
                Waiting for the uploads to finish…
              </Text>
            )}
          </Group>
        </Stack>
      </Grid.Col>
      <MediaLibraryModal
        opened={libraryOpen}
        onClose={() => setLibraryOpen(false)}
        exclude={ready.map((item) => item.id)}
        onPick={(picked) => {
          edited();
          tooMany(media.addFromLibrary(picked));
          setLibraryOpen(false);
        }}
      />
    </Grid>
  );
}

function ComposeSkeleton() {
  return (
    <Stack gap="md" role="status" aria-busy="true" maw={640}>
      <VisuallyHidden>Loading your accounts</VisuallyHidden>
      <Skeleton height={16} width={120} />
      <Skeleton height={60} />
      <Skeleton height={120} />
      <Skeleton height={100} />
    </Stack>
  );
}

const indexProviders = (providers: ProviderInfo[]): ProviderIndex =>
  new Map(providers.map((provider) => [provider.id, provider]));

/** Write a post once, pick files and accounts on any platform, see it per platform, and publish it now or later. */
export function ComposePage() {
  const accounts = useConnectedAccounts();
  const providers = useProviders();
  let content: ReactNode;
  if (accounts.isPending || providers.isPending) content = <ComposeSkeleton />;
  else if (accounts.isError || providers.isError) {
    const failed = accounts.isError ? accounts : providers;
    content = (
      <ErrorAlert
        title={accounts.isError ? 'Could not load your accounts' : 'Could not load the platforms'}
        error={failed.error}
        onRetry={() => void failed.refetch()}
        retrying={failed.isFetching}
      />
    );
  } else if (accounts.data.length === 0)
    content = (
      <Paper withBorder radius="md" p="xl" maw={640}>
        <EmptyState
          icon={<ComposeIcon />}
          variant="light"
          title="Connect an account first"
          description="Tether publishes to your Instagram, Facebook and LinkedIn accounts. Connect one, then come back to write your post."
        >
          <EmptyState.Actions>
            <Button component={Link} to={ACCOUNTS_PATH}>
              Connect an account
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    );
  else content = <Composer accounts={accounts.data} providers={indexProviders(providers.data)} />;

  return (
    <Stack gap="lg" maw={1100}>
      <PageHeader title="Compose" description="Write a post once and publish it to your accounts, now or later." />
      {content}
    </Stack>
  );
}
