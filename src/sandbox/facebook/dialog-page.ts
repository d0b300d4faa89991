import type { SandboxApp } from '../core/apps.ts';
import { html, SafeHtml } from '../core/html.ts';
import type { InstagramAccount } from '../instagram/model.ts';
import type { FacebookDialogRequest, FacebookPage, FacebookUser } from './model.ts';
import { ALWAYS_GRANTED } from './permissions.ts';

/** Facebook's look: blue #1877F2 on the grey #F0F2F5 canvas, with an unmistakable sandbox ribbon. */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f0f2f5;font-family:Helvetica,Arial,sans-serif;color:#1c1e21}
.ribbon{background:#ffba00;color:#1c1e21;text-align:center;font-size:13px;font-weight:bold;padding:6px}
header{background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.1);padding:10px 24px}
.logo{color:#1877f2;font-size:28px;font-weight:bold;letter-spacing:-1px}
main{max-width:560px;margin:32px auto;background:#fff;border-radius:8px;box-shadow:0 2px 4px rgba(0,0,0,.1),0 8px 16px rgba(0,0,0,.1);padding:24px}
h1{font-size:20px;margin:0 0 8px}
h2{font-size:15px;margin:20px 0 8px;color:#606770}
p{font-size:14px;line-height:1.4;color:#606770}
label.row{display:flex;align-items:center;gap:10px;padding:8px;border:1px solid #dddfe2;border-radius:6px;margin-bottom:6px;font-size:14px}
.muted{color:#606770;font-size:12px}
select{font-size:14px;padding:6px;border:1px solid #dddfe2;border-radius:6px;width:100%}
.actions{display:flex;gap:8px;margin-top:24px}
button{flex:1;font-size:15px;font-weight:bold;border:0;border-radius:6px;padding:10px;cursor:pointer}
.primary{background:#1877f2;color:#fff}
.secondary{background:#e4e6eb;color:#1c1e21}
.error h1{color:#1c1e21}
`;

const layout = (title: string, body: SafeHtml) =>
  html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${new SafeHtml(STYLE)}</style></head>
<body><div class="ribbon" role="note" aria-label="Sandbox">SANDBOX · imitation of the Facebook Login dialog · no real account is used</div>
<header><span class="logo">facebook</span></header>
${body}
</body></html>`.value;

/** Facebook's developer-facing error pages ("Invalid App ID", "URL Blocked", "Invalid Scopes"). */
export function renderDialogError(title: string, message: string): string {
  return layout(title, html`<main class="error"><h1>${title}</h1><p>${message}</p></main>`);
}

export interface ConsentPageInput {
  app: SandboxApp;
  request: FacebookDialogRequest;
  users: FacebookUser[];
  pages: FacebookPage[];
  instagram: Map<string, InstagramAccount>;
  actionUrl: string;
}

/** The consent screen: who continues, which Pages to share, which permissions to grant. */
export function renderConsentPage({ app, request, users, pages, instagram, actionUrl }: ConsentPageInput): string {
  const [first] = users;
  const person =
    users.length === 1 && first
      ? html`<input type="hidden" name="user_id" value="${first.id}">`
      : html`<label class="muted" for="user_id">Log in as</label>
<select id="user_id" name="user_id">${users.map((user) => html`<option value="${user.id}">${user.name}</option>`)}</select>`;
  const pageRows = pages.map((page) => {
    const account = page.instagramAccountId ? instagram.get(page.instagramAccountId) : undefined;
    const linked = account ? html` <span class="muted">· Instagram @${account.username}</span>` : html``;
    return html`<label class="row"><input type="checkbox" name="page_${page.id}" value="on" checked> ${page.name}${linked}</label>`;
  });
  const permissionRows = request.configId
    ? html`<p>This configuration asks for: ${request.scopes.join(', ')}. All of them are required.</p>`
    : html`${request.scopes.map((scope) =>
        scope === ALWAYS_GRANTED
          ? html`<label class="row"><input type="checkbox" checked disabled> ${scope} <span class="muted">· always shared</span></label>`
          : html`<label class="row"><input type="checkbox" name="perm_${scope}" value="on" checked> ${scope}</label>`,
      )}`;
  const continueAs = users.length === 1 && first ? `Continue as ${first.name}` : 'Continue';
  return layout(
    `Log in with Facebook · ${app.name}`,
    html`<main>
<h1>${app.name} is requesting access to your Facebook account</h1>
<p>${app.name} will receive the information you choose below.</p>
<form method="post" action="${actionUrl}">
<input type="hidden" name="request_id" value="${request.id}">
${person}
<h2>Choose the Pages you want ${app.name} to access</h2>
${pages.length ? pageRows : html`<p>You don't manage any Pages.</p>`}
<h2>Permissions</h2>
${permissionRows}
<div class="actions">
<button class="secondary" type="submit" name="decision" value="deny">Cancel</button>
<button class="primary" type="submit" name="decision" value="approve">${continueAs}</button>
</div>
</form>
</main>`,
  );
}
