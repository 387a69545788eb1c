import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import { DEVICE_CODE_GRANT, registerDeviceFlowRoutes } from '../../../src/server/deviceFlow/routes.js';

async function startServer(t: import('node:test').TestContext, clock: { now: number }) {
  const app = Fastify();
  await app.register(formbody);
  const audit: string[] = [];
  await registerDeviceFlowRoutes(app, {
    authenticate: async (u, p) => (u === 'alice' && p === 'right-password' ? { user: 'alice' } : null),
    issueAccessToken: async (user) => ({ accessToken: `token-for-${user}`, expiresInSec: 300 }),
    audit: (e) => audit.push(`${e.action}:${e.actor ?? '-'}`),
    publicUrl: () => 'http://127.0.0.1:9/',
    now: () => clock.now,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());
  const form = (path: string, fields: Record<string, string>) =>
    fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  return { url, form, audit };
}

test('device flow: code, pending, approval on the verification page, one token, then the code is spent', async (t) => {
  const clock = { now: 1_000_000 };
  const { url, form, audit } = await startServer(t, clock);
  const codeRes = await form('/oauth/device/code', { client_id: 'bosun-agent' });
  assert.equal(codeRes.status, 200);
  const code = (await codeRes.json()) as Record<string, string | number>;
  assert.match(String(code.user_code), /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  assert.equal(code.verification_uri, 'http://127.0.0.1:9/device');
  assert.equal(code.interval, 5);

  const pending = await form('/oauth/token', { grant_type: DEVICE_CODE_GRANT, device_code: String(code.device_code), client_id: 'bosun-agent' });
  assert.equal(pending.status, 400);
  assert.deepEqual(await pending.json(), { error: 'authorization_pending' });

  const pageRes = await fetch(`${url}/device?user_code=${String(code.user_code).toLowerCase()}`);
  assert.match(pageRes.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.match(await pageRes.text(), new RegExp(`value="${String(code.user_code)}"`));

  const wrong = await form('/device', { user_code: String(code.user_code), username: 'alice', password: 'nope', decision: 'approve' });
  assert.equal(wrong.status, 401);
  assert.match(await wrong.text(), /not accepted/);

  const ok = await form('/device', { user_code: String(code.user_code), username: 'alice', password: 'right-password', decision: 'approve' });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /signing in as <strong>alice<\/strong>/);

  clock.now += 6000;
  const tokenRes = await form('/oauth/token', { grant_type: DEVICE_CODE_GRANT, device_code: String(code.device_code), client_id: 'bosun-agent' });
  assert.equal(tokenRes.status, 200);
  assert.deepEqual(await tokenRes.json(), { access_token: 'token-for-alice', token_type: 'Bearer', expires_in: 300 });
  const again = await form('/oauth/token', { grant_type: DEVICE_CODE_GRANT, device_code: String(code.device_code), client_id: 'bosun-agent' });
  assert.deepEqual(await again.json(), { error: 'invalid_grant', error_description: 'unknown device_code' });
  assert.deepEqual(audit, ['device-sign-in-refused:-', 'device-approved:alice', 'device-sign-in:alice']);
});

test('device flow: denial, expiry, unknown codes, wrong grant type, and escaping on the page', async (t) => {
  const clock = { now: 5_000_000 };
  const { url, form } = await startServer(t, clock);
  const code = (await (await form('/oauth/device/code', { client_id: 'bosun-agent' })).json()) as Record<string, string>;
  await form('/device', { user_code: code.user_code!, username: 'alice', password: 'right-password', decision: 'deny' });
  const denied = await form('/oauth/token', { grant_type: DEVICE_CODE_GRANT, device_code: code.device_code! });
  assert.deepEqual(await denied.json(), { error: 'access_denied' });

  const code2 = (await (await form('/oauth/device/code', { client_id: 'bosun-agent' })).json()) as Record<string, string>;
  clock.now += 601_000;
  const expired = await form('/oauth/token', { grant_type: DEVICE_CODE_GRANT, device_code: code2.device_code! });
  assert.deepEqual(await expired.json(), { error: 'expired_token' });

  const bogus = await form('/device', { user_code: '<script>', username: 'alice', password: 'right-password', decision: 'approve' });
  assert.equal(bogus.status, 400);
  const html = await bogus.text();
  assert.ok(!html.includes('<script>'), 'user input is escaped');
  assert.match(html, /&lt;script&gt;/);

  const wrongGrant = await form('/oauth/token', { grant_type: 'password' });
  assert.equal(((await wrongGrant.json()) as { error: string }).error, 'unsupported_grant_type');
  const missing = await fetch(url + '/oauth/device/code', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(missing.status, 400);
});
