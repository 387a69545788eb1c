// The device verification page: plain, accessible HTML with no script, so the strict CSP holds.

export type VerificationView = { kind: 'form'; userCode: string; error?: string } | { kind: 'done'; approved: boolean; user: string };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
label{display:block;margin-top:1rem;font-weight:600}input{font:inherit;width:100%;padding:.5rem;box-sizing:border-box}
.actions{margin-top:1.5rem;display:flex;gap:.75rem}button{font:inherit;padding:.5rem 1rem}
.error{color:#a40e26;border:1px solid #a40e26;padding:.5rem;border-radius:4px}`;

export function renderVerificationPage(view: VerificationView): string {
  const body =
    view.kind === 'form'
      ? `<h1>Sign in to Bosun</h1>
<p>Enter the code shown by Bosun on your computer, then sign in to approve it. Only approve a code you started yourself.</p>
${view.error ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>` : ''}
<form method="post" action="/device">
<label for="user_code">Code</label>
<input id="user_code" name="user_code" value="${escapeHtml(view.userCode)}" autocomplete="off" autocapitalize="characters" required>
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required>
<label for="password">Password or access token</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button></div>
</form>`
      : view.approved
        ? `<h1>Signed in</h1><p role="status">Bosun on your computer is now signing in as <strong>${escapeHtml(view.user)}</strong>. You can close this page.</p>`
        : `<h1>Sign-in denied</h1><p role="status">The request was denied. Nothing was signed in.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Bosun sign-in</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}
