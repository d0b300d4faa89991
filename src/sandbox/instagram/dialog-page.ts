import type { SandboxApp } from '../core/apps.ts';
import { html, SafeHtml } from '../core/html.ts';
import type { InstagramAccount } from './model.ts';
import { INSTAGRAM_SCOPES } from './scopes.ts';

/** Instagram's look: white card, #dbdbdb borders, the gradient glyph and the #0095f6 button. */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#fafafa;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#262626}
.ribbon{background:#ffba00;color:#262626;text-align:center;font-size:13px;font-weight:600;padding:6px}
main{max-width:420px;margin:32px auto;background:#fff;border:1px solid #dbdbdb;border-radius:12px;padding:32px 28px}
.brand{display:flex;flex-direction:column;align-items:center;gap:10px;margin-bottom:16px}
.glyph{width:56px;height:56px;border-radius:16px;background:radial-gradient(circle at 30% 107%,#fdf497 0%,#fdf497 5%,#fd5949 45%,#d6249f 60%,#285aeb 90%);position:relative}
.glyph::before{content:"";position:absolute;inset:12px;border:4px solid #fff;border-radius:12px}
.glyph::after{content:"";position:absolute;left:20px;top:20px;width:16px;height:16px;border:4px solid #fff;border-radius:50%;box-sizing:border-box}
.wordmark{font-family:"Brush Script MT","Segoe Script",cursive;font-size:34px}
h1{font-size:18px;text-align:center;margin:8px 0 20px;line-height:1.35}
h2{font-size:14px;margin:20px 0 8px;color:#262626}
fieldset{border:0;margin:0;padding:0}
label.account{display:flex;align-items:center;gap:12px;padding:10px;border:1px solid #dbdbdb;border-radius:8px;margin-bottom:8px;cursor:pointer;font-size:14px}
label.account:has(input:checked){border-color:#0095f6;background:#f0f8ff}
.avatar{width:40px;height:40px;border-radius:50%;object-fit:cover;background:#efefef;display:flex;align-items:center;justify-content:center;font-weight:600;color:#fff}
.who{display:flex;flex-direction:column;flex:1}
.muted{color:#8e8e8e;font-size:12px}
ul{padding-left:20px;margin:0;font-size:14px;line-height:1.8}
.actions{display:flex;flex-direction:column;gap:8px;margin-top:24px}
button{font-size:14px;font-weight:600;border:0;border-radius:8px;padding:10px;cursor:pointer}
.allow{background:#0095f6;color:#fff}
.cancel{background:#efefef;color:#262626}
.error{text-align:center}
.error p{color:#8e8e8e;font-size:14px}
`;

const layout = (title: string, body: SafeHtml) =>
  html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${new SafeHtml(STYLE)}</style></head>
<body><div class="ribbon" role="note" aria-label="Sandbox">SANDBOX · imitation of the Instagram Login screen · no real account is used</div>
<main><div class="brand"><div class="glyph" aria-hidden="true"></div><div class="wordmark">Instagram</div></div>
${body}
</main></body></html>`.value;

/** Instagram's "Invalid Request" page: what a developer sees for a bad client_id, redirect or scope. */
export function renderDialogError(message: string): string {
  return layout('Instagram', html`<div class="error"><h1>Invalid Request</h1><p>${message}</p></div>`);
}

export interface ConsentPageInput {
  app: SandboxApp;
  accounts: InstagramAccount[];
  scopes: string[];
  /** The authorize request, carried through hidden fields to the decision. */
  hidden: Record<string, string>;
  /** Whether a picture URL is served by the sandbox itself (the CSP forbids anything else). */
  isLocal(url: string): boolean;
}

const accountAccountTypes: Record<InstagramAccount['accountType'], string> = {
  BUSINESS: 'Business account',
  MEDIA_CREATOR: 'Creator account',
};

const avatar = (account: InstagramAccount, isLocal: ConsentPageInput['isLocal']) =>
  account.profilePictureUrl && isLocal(account.profilePictureUrl)
    ? html`<img class="avatar" src="${account.profilePictureUrl}" alt="">`
    : html`<span class="avatar" style="background:#c13584" aria-hidden="true">${account.username.slice(0, 1).toUpperCase()}</span>`;

/** "Allow <app> to access your account?" with an account picker and the requested permissions. */
export function renderConsentPage({ app, accounts, scopes, hidden, isLocal }: ConsentPageInput): string {
  const accountRows = accounts.map(
    (account, index) => html`<label class="account">
<input type="radio" name="account_id" value="${account.id}"${new SafeHtml(index === 0 ? ' checked' : '')}>
${avatar(account, isLocal)}
<span class="who"><strong>${account.username}</strong><span class="muted">${account.name} · ${accountAccountTypes[account.accountType]}</span></span>
</label>`,
  );
  const body = html`<h1>Allow ${app.name} to access your account?</h1>
<form method="post" action="authorize">
${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<fieldset><legend><h2>Continue as</h2></legend>
${accounts.length ? accountRows : html`<p class="muted">No Instagram professional account is seeded in the sandbox.</p>`}
</fieldset>
<h2>${app.name} is requesting to:</h2>
<ul>${scopes.map((scope) => html`<li>${INSTAGRAM_SCOPES[scope] ?? scope} <span class="muted">(${scope})</span></li>`)}</ul>
<div class="actions">
${accounts.length ? html`<button class="allow" type="submit" name="decision" value="allow">Allow</button>` : ''}
<button class="cancel" type="submit" name="decision" value="cancel">Cancel</button>
</div>
</form>`;
  return layout(`Allow ${app.name}? · Instagram`, body);
}
