/** An app registered with a platform: its credentials and the settings that change behaviour. */
export interface SandboxApp {
  id: string;
  secret: string;
  platform: 'facebook' | 'instagram' | 'linkedin';
  name: string;
  /**
   * Registered redirect URIs. Empty means any http(s) URI is accepted at authorize time; the
   * token exchange still requires the exact same URI as the authorize request.
   */
  redirectUris: string[];
  /** Facebook "Require App Secret": every Graph call must carry a valid appsecret_proof. */
  requireAppSecretProof: boolean;
  /** LinkedIn "programmatic refresh tokens" (vetted partners): token responses include a refresh token. */
  programmaticRefresh: boolean;
}

/** The apps every sandbox starts with; Tether's sandbox mode uses these credentials. */
export const DEFAULT_APPS: readonly SandboxApp[] = [
  {
    id: '1000000000000001',
    secret: 'sandbox-facebook-app-secret',
    platform: 'facebook',
    name: 'Tether Sandbox (Facebook)',
    redirectUris: [],
    requireAppSecretProof: false,
    programmaticRefresh: false,
  },
  {
    id: '2000000000000002',
    secret: 'sandbox-instagram-app-secret',
    platform: 'instagram',
    name: 'Tether Sandbox (Instagram)',
    redirectUris: [],
    requireAppSecretProof: false,
    programmaticRefresh: false,
  },
  {
    id: 'sandboxlinkedinclient',
    secret: 'sandbox-linkedin-client-secret',
    platform: 'linkedin',
    name: 'Tether Sandbox (LinkedIn)',
    redirectUris: [],
    requireAppSecretProof: false,
    programmaticRefresh: true,
  },
];

export class AppRegistry {
  #apps = new Map<string, SandboxApp>();

  constructor(apps: readonly SandboxApp[] = DEFAULT_APPS) {
    for (const app of apps) this.#apps.set(app.id, { ...app, redirectUris: [...app.redirectUris] });
  }

  get(id: string | undefined): SandboxApp | undefined {
    return id ? this.#apps.get(id) : undefined;
  }

  upsert(app: SandboxApp): SandboxApp {
    this.#apps.set(app.id, app);
    return app;
  }

  list(): SandboxApp[] {
    return [...this.#apps.values()];
  }

  /** Whether `uri` may be used as a redirect URI for this app (exact match when any are registered). */
  allowsRedirect(app: SandboxApp, uri: string): boolean {
    if (!/^https?:\/\//.test(uri)) return false;
    return app.redirectUris.length === 0 || app.redirectUris.includes(uri);
  }
}
