import { escapeHtml as h } from '../core/html.ts';
import type { LinkedInMember } from './model.ts';
import { LINKEDIN_SCOPES } from './scopes.ts';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;background:#f4f2ee;color:rgba(0,0,0,.9)}
.sandbox{background:#915907;color:#fff;text-align:center;font-size:13px;padding:6px 12px;font-weight:600}
header{display:flex;align-items:center;gap:4px;padding:16px 24px}
.wordmark{font-size:26px;font-weight:700;color:#0a66c2;letter-spacing:-.5px}
.badge{margin-left:10px;border:1px solid #915907;color:#915907;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:700;text-transform:uppercase}
.in{display:inline-block;background:#0a66c2;color:#fff;border-radius:4px;padding:0 5px;margin-left:2px}
main{max-width:480px;margin:24px auto;background:#fff;border-radius:8px;box-shadow:0 0 0 1px rgba(0,0,0,.08),0 4px 12px rgba(0,0,0,.08);padding:32px}
h1{font-size:22px;font-weight:600;margin:0 0 20px}
ul{list-style:none;padding:0;margin:0 0 24px}
li{display:flex;gap:12px;align-items:flex-start;padding:10px 0;border-bottom:1px solid #e8e8e8;font-size:15px}
li::before{content:"";flex:none;width:10px;height:10px;margin-top:6px;border-radius:50%;background:#0a66c2}
.member{display:flex;align-items:center;gap:12px;margin:0 0 24px;font-size:14px;color:rgba(0,0,0,.6)}
.avatar{width:40px;height:40px;border-radius:50%;background:#cfe3f5;color:#0a66c2;display:flex;align-items:center;justify-content:center;font-weight:700}
.member strong{color:rgba(0,0,0,.9)}
.actions{display:flex;justify-content:flex-end;gap:8px}
button{font:inherit;font-size:16px;font-weight:600;border-radius:24px;padding:8px 24px;cursor:pointer}
.cancel{background:#fff;color:rgba(0,0,0,.6);border:1px solid rgba(0,0,0,.6)}
.allow{background:#0a66c2;color:#fff;border:1px solid #0a66c2}
.note{font-size:12px;color:rgba(0,0,0,.6);margin-top:24px;line-height:1.4}
.error h1{color:#b24020}
code{background:#f3f3f3;padding:1px 4px;border-radius:3px;word-break:break-all}
`;

const layout = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(title)}</title><style>${STYLE}</style></head>
<body><div class="sandbox" role="note" aria-label="Sandbox">Sandbox: an imitation of LinkedIn's sign-in pages. Nothing leaves this machine.</div>
<header><span class="wordmark" aria-label="LinkedIn">Linked<span class="in">in</span></span><span class="badge">Sandbox</span></header>
${body}</body></html>`;

const initials = (member: LinkedInMember) =>
  `${member.givenName.charAt(0)}${member.familyName.charAt(0)}`.toUpperCase();

/** LinkedIn's "<app> would like to:" page, all-or-nothing: Allow grants every listed scope, Cancel none. */
export function renderConsentPage(input: {
  appName: string;
  member: LinkedInMember;
  scopes: string[];
  decisionUrl: string;
  requestId: string;
}): string {
  const permissions = [...new Set(input.scopes.map((scope) => LINKEDIN_SCOPES[scope] ?? scope))];
  return layout(
    `${input.appName} | LinkedIn`,
    `<main>
<h1>${h(input.appName)} would like to:</h1>
<ul aria-label="Requested permissions">${permissions.map((text) => `<li>${h(text)}</li>`).join('')}</ul>
<div class="member"><span class="avatar" aria-hidden="true">${h(initials(input.member))}</span>
<span>Signed in as <strong>${h(input.member.name)}</strong> (${h(input.member.email)})</span></div>
<form method="post" action="${h(input.decisionUrl)}">
<input type="hidden" name="request_id" value="${h(input.requestId)}">
<div class="actions"><button class="cancel" type="submit" name="action" value="cancel">Cancel</button>
<button class="allow" type="submit" name="action" value="allow">Allow</button></div>
</form>
<p class="note">By allowing, you let ${h(input.appName)} use your information in accordance with its terms of service and privacy policy. You can remove this and other permissions at any time in your LinkedIn settings.</p>
</main>`,
  );
}

/** Shown instead of redirecting when the client or redirect URI cannot be trusted. */
export function renderErrorPage(message: string): string {
  return layout(
    'Error | LinkedIn',
    `<main class="error"><h1>Bummer, something went wrong.</h1><p>${h(message)}</p></main>`,
  );
}
