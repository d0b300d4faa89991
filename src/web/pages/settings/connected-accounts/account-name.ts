import type { ConnectedAccount } from '../../../../contracts/connected-accounts.ts';

type Named = Pick<ConnectedAccount, 'username' | 'displayName'>;

/** "@northwind.coffee", else the display name: how an account is named in sentences. */
export const accountName = (account: Named): string =>
  account.username ? `@${account.username}` : (account.displayName ?? 'this account');
