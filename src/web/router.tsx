import { createBrowserRouter, Navigate } from 'react-router';
import { GuestOnly, HomeRedirect, RequireAuth } from './auth/guards.tsx';
import { AppLayout } from './layout/app-layout.tsx';
import { AuthLayout } from './layout/auth-layout.tsx';
import { ADMIN_PATH } from './lib/admin-path.ts';
import { COMPOSE_PATH, POSTS_PATH } from './lib/publishing-paths.ts';
import { HOME_PATH } from './lib/redirect.ts';
import { ComposePage } from './pages/compose-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { PostsPage } from './pages/posts-page.tsx';
import { AccountPage } from './pages/settings/account-page.tsx';
import { ApiTokensPage } from './pages/settings/api-tokens-page.tsx';
import { ConnectedAccountsPage } from './pages/settings/connected-accounts-page.tsx';
import { SelectAccountsPage } from './pages/settings/select-accounts-page.tsx';
import { WebhooksPage } from './pages/settings/webhooks-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { SignUpPage } from './pages/sign-up-page.tsx';

export function createRouter() {
  return createBrowserRouter([
    { path: '/', element: <HomeRedirect /> },
    {
      element: <GuestOnly />,
      children: [
        {
          element: <AuthLayout />,
          children: [
            { path: '/sign-in', element: <SignInPage /> },
            { path: '/sign-up', element: <SignUpPage /> },
          ],
        },
      ],
    },
    {
      element: <RequireAuth />,
      children: [
        {
          element: <AppLayout />,
          children: [
            { path: COMPOSE_PATH, element: <ComposePage /> },
            { path: POSTS_PATH, element: <PostsPage /> },
            // Loaded on demand: only admins open it, and its charts are the app's largest dependency.
            { path: ADMIN_PATH, lazy: async () => ({ Component: (await import('./pages/admin-page.tsx')).AdminPage }) },
            {
              path: '/settings',
              children: [
                { index: true, element: <Navigate to={HOME_PATH} replace /> },
                { path: 'social-accounts', element: <ConnectedAccountsPage /> },
                { path: 'social-accounts/select/:flowId', element: <SelectAccountsPage /> },
                { path: 'api-tokens', element: <ApiTokensPage /> },
                { path: 'webhooks', element: <WebhooksPage /> },
                { path: 'account', element: <AccountPage /> },
                { path: '*', element: <Navigate to={HOME_PATH} replace /> },
              ],
            },
          ],
        },
      ],
    },
    { path: '*', element: <NotFoundPage /> },
  ]);
}
