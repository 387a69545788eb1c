// The /token protocol over HTTP with an in-memory directory: response shape, refresh tokens only
// for offline access and never rotated, 401 only for bad credentials, 403 DENIED with the reason,
// rate-limited brute force, one audit record per scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { AccessFacts, Principal } from '../../../src/core/access/accessFacts.js';
import { tooManyFailedSignIns } from '../../../src/core/authentication/signInThrottle.js';
import { BatchSigner } from '../../../src/server/token/batchSigner.js';
import { registerTokenRoutes, type TokenAuditRecord } from '../../../src/server/token/routes.js';
import { SigningKeySource } from '../../../src/server/token/signingKeys.js';

const IAM = { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: [] };

async function start(t: import('node:test').TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-token-routes-'));
  const refresh = new Map<string, string>();
  const audit: TokenAuditRecord[] = [];
  const app = Fastify();
  const signer = new BatchSigner();
  await app.register(formbody);
  await registerTokenRoutes(app, {
    authenticateBasic: async (u, p) =>
      u === 'alice' && p === 'secret'
        ? { principal: { kind: 'user', name: 'alice', role: 'user', disabled: false }, credential: { kind: 'password' } }
        : { status: 401, message: 'Incorrect authentication credentials' },
    authenticateRefreshToken: async (token) => {
      const user = refresh.get(token);
      return user ? { principal: { kind: 'user', name: user, role: 'user', disabled: false }, credential: { kind: 'refresh' } } : undefined;
    },
    issueRefreshToken: async ({ principal }) => {
      const token = `rt-${refresh.size + 1}-${principal.name}`;
      refresh.set(token, principal.name);
      return token;
    },
    accessFacts: async (subject, repositories) => {
      const principal: Principal = subject?.principal ?? { kind: 'anonymous' };
      const credential = subject?.credential ?? { kind: 'none' };
      return new Map(
        repositories.map((repository): [string, AccessFacts] => [
          repository,
          {
            principal,
            credential,
            repository,
            repo: { visibility: 'private' },
            namespace: { kind: 'org', name: 'mycompany' },
            grantLevel: repository === 'mycompany/api' ? 'read' : 'none',
            memberships: principal.kind === 'user' ? [{ org: 'mycompany', role: 'member', imageAccess: IAM }] : [],
            server: { anonymousPull: false, userNamespaces: false, verifiedPublishers: [] },
          },
        ]),
      );
    },
    knownServices: async () => ['registry.test'],
    audit: (r) => audit.push(r),
    signingKeys: new SigningKeySource(join(dir, 'data')),
    signer,
    maxFailuresPerMinute: 5,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(async () => {
    await app.close();
    await signer.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
  const form = (fields: Record<string, string>) =>
    fetch(`${url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  return { url, audit, refresh, basic, form };
}

test('GET with Basic: token and access_token, expires_in ≥ 60, issued_at RFC 3339, no refresh token unless offline', async (t) => {
  const s = await start(t);
  const res = await fetch(`${s.url}/token?service=registry.test&scope=repository:mycompany/api:pull,push&client_id=docker`, {
    headers: s.basic('alice', 'secret'),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body.token, body.access_token);
  assert.ok(Number(body.expires_in) >= 60);
  assert.ok(!Number.isNaN(Date.parse(String(body.issued_at))) && /T.*Z$/.test(String(body.issued_at)));
  assert.equal(body.refresh_token, undefined);
  const claims = decodeJwt(String(body.token));
  assert.equal(claims.aud, 'registry.test');
  assert.deepEqual(claims.access, [{ type: 'repository', name: 'mycompany/api', actions: ['pull'] }]);
  assert.ok(decodeProtectedHeader(String(body.token)).kid);
  assert.deepEqual(
    s.audit.map((a) => [a.principal, a.scope, a.granted, a.rule]),
    [['alice', 'repository:mycompany/api:pull,push', ['pull'], 'deny.needs-write']],
  );
});

test('offline access gives a refresh token; refreshing works and never rotates it', async (t) => {
  const s = await start(t);
  const login = await fetch(`${s.url}/token?service=registry.test&offline_token=true&client_id=docker`, { headers: s.basic('alice', 'secret') });
  const { refresh_token } = (await login.json()) as { refresh_token: string };
  assert.ok(refresh_token);
  const r = await s.form({
    grant_type: 'refresh_token',
    refresh_token,
    service: 'registry.test',
    client_id: 'docker',
    scope: 'repository:mycompany/api:pull',
    access_type: 'offline',
  });
  assert.equal(r.status, 200);
  const body = (await r.json()) as Record<string, unknown>;
  assert.equal(body.refresh_token, undefined);
  assert.deepEqual(decodeJwt(String(body.access_token)).access, [{ type: 'repository', name: 'mycompany/api', actions: ['pull'] }]);
  // POST password grant with offline access.
  const p = await s.form({
    grant_type: 'password',
    username: 'alice',
    password: 'secret',
    service: 'registry.test',
    client_id: 'containerd',
    access_type: 'offline',
  });
  assert.ok(((await p.json()) as Record<string, unknown>).refresh_token);
  // Revocation takes effect on the next request.
  s.refresh.delete(refresh_token);
  const after = await s.form({ grant_type: 'refresh_token', refresh_token, service: 'registry.test', scope: 'repository:mycompany/api:pull' });
  assert.equal(after.status, 401);
});

test('401 only for bad credentials; 403 DENIED with the reason when nothing is granted', async (t) => {
  const s = await start(t);
  const bad = await fetch(`${s.url}/token?service=registry.test&scope=repository:mycompany/api:pull`, { headers: s.basic('alice', 'wrong') });
  assert.equal(bad.status, 401);
  const denied = await fetch(`${s.url}/token?service=registry.test&scope=repository:mycompany/secret:pull`, { headers: s.basic('alice', 'secret') });
  assert.equal(denied.status, 403);
  const body = (await denied.json()) as { errors: Array<{ code: string; message: string }> };
  assert.equal(body.errors[0]?.code, 'DENIED');
  assert.match(body.errors[0]?.message ?? '', /^alice may not pull mycompany\/secret: .*Ask an owner of mycompany for read access\.$/);
  const anon = await fetch(`${s.url}/token?service=registry.test&scope=repository:mycompany/api:pull`);
  assert.equal(anon.status, 403);
  assert.match(await anon.text(), /sign-in required: this registry accepts pulls only from members of mycompany signed in with Bosun/);
  const many = Array.from({ length: 101 }, (_, i) => `scope=repository:mycompany/r${i}:pull`).join('&');
  const tooMany = await fetch(`${s.url}/token?service=registry.test&${many}`, { headers: s.basic('alice', 'secret') });
  assert.equal(tooMany.status, 400);
  assert.match(await tooMany.text(), /101 scopes in one request; ask for at most 100/);
  const unknownService = await fetch(`${s.url}/token?service=elsewhere&scope=repository:mycompany/api:pull`, { headers: s.basic('alice', 'secret') });
  assert.equal(unknownService.status, 400);
  // Parameters are checked against schemas/token-request.schema.json first, naming the parameter.
  const twice = await fetch(`${s.url}/token?service=registry.test&service=other&scope=repository:mycompany/api:pull`, { headers: s.basic('alice', 'secret') });
  assert.equal(twice.status, 400);
  assert.match(await twice.text(), /invalid token request: service must be string/);
  const grant = await fetch(`${s.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&service=registry.test',
  });
  assert.equal(grant.status, 400);
  assert.match(await grant.text(), /grant_type must be one of \[\\"password\\",\\"refresh_token\\"\]/);
});

test('refresh-token guessing is rate-limited per address, but a valid refresh token is never refused', async (t) => {
  const s = await start(t);
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    statuses.push((await s.form({ grant_type: 'refresh_token', refresh_token: `bosun_rt_guess${i}`, service: 'registry.test' })).status);
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
  const login = await fetch(`${s.url}/token?service=registry.test&offline_token=true`, { headers: s.basic('alice', 'secret') });
  const { refresh_token } = (await login.json()) as { refresh_token: string };
  const right = await s.form({ grant_type: 'refresh_token', refresh_token, service: 'registry.test' });
  assert.equal(right.status, 200, 'the limiter counts and refuses failures only');
  const stillLimited = await s.form({ grant_type: 'refresh_token', refresh_token: 'bosun_rt_guess-again', service: 'registry.test' });
  assert.equal(stillLimited.status, 429);
  assert.ok(Number(stillLimited.headers.get('retry-after')) > 0);
  const { errors } = (await stillLimited.json()) as { errors: Array<{ message: string }> };
  assert.equal(errors[0]?.message, tooManyFailedSignIns(Number(stillLimited.headers.get('retry-after'))), 'the message names the same wait as Retry-After');
  assert.equal(s.audit.filter((a) => a.rule === 'auth.bad-credentials').length, 5);
});

test('the response body is exactly JSON.stringify of its fields (token, access_token, expires_in, issued_at, refresh_token)', async (t) => {
  const s = await start(t);
  const login = await fetch(`${s.url}/token?service=registry.test&offline_token=true&client_id=docker&scope=repository:mycompany/api:pull`, {
    headers: s.basic('alice', 'secret'),
  });
  assert.match(login.headers.get('content-type') ?? '', /^application\/json/);
  const text = await login.text();
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['token', 'access_token', 'expires_in', 'issued_at', 'refresh_token']);
  assert.equal(text, JSON.stringify(body));
  assert.equal(body.token, body.access_token);
  const refreshed = await s.form({
    grant_type: 'refresh_token',
    refresh_token: String(body.refresh_token),
    service: 'registry.test',
    client_id: 'docker',
    scope: 'repository:mycompany/api:pull',
  });
  const again = await refreshed.text();
  assert.deepEqual(Object.keys(JSON.parse(again) as object), ['token', 'access_token', 'expires_in', 'issued_at']);
  assert.equal(again, JSON.stringify(JSON.parse(again)));
});
