import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTENT_SECURITY_POLICY, SecurityRestrictions, SECURE_WEB_PREFERENCES, type WebContentsLike } from '../../../electron/securityRestrictions.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const quiet = { warn: () => undefined };

test('external URLs: only allow-listed origins, https (or http on loopback), no credentials in the URL', async () => {
  const opened: string[] = [];
  const s = new SecurityRestrictions(['https://bosun.example.com', 'http://127.0.0.1:8080'], async (u) => void opened.push(u), quiet);
  assert.equal(s.isAllowedExternal('https://bosun.example.com/device?user_code=ABCD'), true);
  assert.equal(s.isAllowedExternal('http://127.0.0.1:8080/device'), true);
  assert.equal(s.isAllowedExternal('http://bosun.example.com/device'), false, 'plain http to a remote host');
  assert.equal(s.isAllowedExternal('https://bosun.example.com.evil.net/'), false);
  assert.equal(s.isAllowedExternal('https://user:pw@bosun.example.com/'), false);
  assert.equal(s.isAllowedExternal('file:///etc/passwd'), false);
  assert.equal(s.isAllowedExternal('javascript:alert(1)'), false);
  assert.equal(s.isAllowedExternal('not a url'), false);
  await s.openExternal('https://bosun.example.com/device');
  await assert.rejects(s.openExternal('https://evil.example/'), /opens only its server's pages/);
  assert.deepEqual(opened, ['https://bosun.example.com/device']);
});

test('navigation, redirects, webviews and new windows are denied; permission requests are refused', () => {
  const s = new SecurityRestrictions([], async () => undefined, quiet);
  const listeners = new Map<string, (e: { preventDefault(): void }, url: string) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (event: string, l: (e: { preventDefault(): void }, url: string) => void) => void listeners.set(event, l),
    setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => void (openHandler = h),
  } as unknown as WebContentsLike;
  let appListener: ((e: unknown, c: WebContentsLike) => void) | undefined;
  let permission: ((wc: unknown, p: string, cb: (g: boolean) => void) => void) | undefined;
  let check: (() => boolean) | undefined;
  s.apply(
    { on: (_e, l) => void (appListener = l) },
    { setPermissionRequestHandler: (h) => void (permission = h), setPermissionCheckHandler: (h) => void (check = h) },
  );
  appListener!({}, contents);
  for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    let prevented = false;
    listeners.get(event)!({ preventDefault: () => void (prevented = true) }, 'https://evil.example/');
    assert.equal(prevented, true, event);
  }
  assert.deepEqual(openHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
  let granted: boolean | undefined;
  permission!({}, 'media', (g) => void (granted = g));
  assert.equal(granted, false);
  assert.equal(check!(), false);
});

test('windows run sandboxed with context isolation and without Node; every page carries the strict CSP', () => {
  assert.equal(SECURE_WEB_PREFERENCES.contextIsolation, true);
  assert.equal(SECURE_WEB_PREFERENCES.sandbox, true);
  assert.equal(SECURE_WEB_PREFERENCES.nodeIntegration, false);
  const dir = join(import.meta.dirname, '../../../src/ui');
  const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));
  assert.ok(pages.length >= 4);
  for (const page of pages) {
    const html = readFileSync(join(dir, page), 'utf8');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.ok(csp, `${page} has a CSP meta tag`);
    for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'none'", "base-uri 'none'"]) {
      assert.ok(csp.includes(directive) && CONTENT_SECURITY_POLICY.includes(directive), `${page}: ${directive}`);
    }
    assert.doesNotMatch(html, /<script>|\son[a-z]+="/, `${page} has no inline script`);
  }
});
