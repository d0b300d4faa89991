export * from './account-credentials.ts';
export * from './account-events.ts';
export * from './api-tokens.ts';
export * from './auth.ts';
export * from './connected-accounts.ts';
export * from './notifications.ts';
export * from './oauth-flows.ts';
