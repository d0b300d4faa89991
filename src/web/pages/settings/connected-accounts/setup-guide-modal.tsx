import {
  Alert,
  Anchor,
  Code,
  Modal,
  ScrollArea,
  Skeleton,
  Stack,
  Text,
  Title,
  Typography,
  VisuallyHidden,
} from '@mantine/core';
import type { ComponentProps, ReactNode } from 'react';
import type { Components } from 'react-markdown';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type { ProviderInfo } from '../../../../contracts/providers.ts';
import { useSetupGuide } from '../../../api/providers.ts';
import { ErrorAlert } from '../../../components/page-status.tsx';
import type { ModalItem } from '../../../lib/use-modal-item.ts';

/**
 * Links of a guide: web addresses open in a new tab, anchors stay; paths into the source tree
 * (other docs) are not served by the app, so they read as plain text.
 */
function GuideLink({ href, children }: ComponentProps<'a'>) {
  if (href?.startsWith('#')) return <Anchor href={href}>{children}</Anchor>;
  if (href && /^https?:\/\//.test(href))
    return (
      <Anchor href={href} target="_blank" rel="noreferrer">
        {children}
      </Anchor>
    );
  return <>{children}</>;
}

/**
 * The guide's headings one level under the dialog's title (an h2), at sizes that fit a dialog.
 * `node` is react-markdown's syntax tree node, not an attribute.
 */
const GUIDE_COMPONENTS: Components = {
  a: GuideLink,
  h1: ({ node: _node, ...props }) => <Title order={3} size="h3" {...props} />,
  h2: ({ node: _node, ...props }) => <Title order={4} size="h4" {...props} />,
  h3: ({ node: _node, ...props }) => <Title order={5} size="h5" {...props} />,
};

/** "A, B and C", each as code. */
function Variables({ names }: { names: string[] }) {
  return names.map((name, index) => (
    <span key={name}>
      {index > 0 && (index === names.length - 1 ? ' and ' : ', ')}
      <Code>{name}</Code>
    </span>
  ));
}

function GuideSkeleton() {
  return (
    <Stack gap="sm" role="status" aria-busy="true">
      <VisuallyHidden>Loading the setup guide</VisuallyHidden>
      <Skeleton height={22} width="60%" />
      <Skeleton height={12} />
      <Skeleton height={12} />
      <Skeleton height={12} width="80%" />
      <Skeleton height={18} width="40%" mt="md" />
      <Skeleton height={12} />
      <Skeleton height={12} width="70%" />
    </Stack>
  );
}

function Guide({ provider }: { provider: ProviderInfo }) {
  const guide = useSetupGuide(provider);
  let body: ReactNode;
  if (guide.isPending) body = <GuideSkeleton />;
  else if (guide.isError)
    body = (
      <ErrorAlert
        title="Could not load the setup guide"
        error={guide.error}
        onRetry={() => void guide.refetch()}
        retrying={guide.isFetching}
      />
    );
  else
    body = (
      <Typography fz="sm">
        <Markdown remarkPlugins={[remarkGfm]} components={GUIDE_COMPONENTS}>
          {guide.data}
        </Markdown>
      </Typography>
    );
  return (
    <Stack gap="md">
      <Alert variant="light" color="blue" title="What Tether needs">
        <Text size="sm">
          Set <Variables names={provider.env} /> in Tether's environment, then restart it.
        </Text>
      </Alert>
      {body}
    </Stack>
  );
}

/** A provider's SETUP.md, rendered: how to create the platform app and configure Tether for it. */
export function SetupGuideModal({ modal }: { modal: ModalItem<ProviderInfo> }) {
  const provider = modal.item;
  return (
    <Modal
      opened={modal.opened}
      onClose={modal.close}
      onExitTransitionEnd={modal.clear}
      title={provider ? `Set up ${provider.displayName}` : ''}
      size="xl"
      scrollAreaComponent={ScrollArea.Autosize}
    >
      {provider && <Guide provider={provider} />}
    </Modal>
  );
}
