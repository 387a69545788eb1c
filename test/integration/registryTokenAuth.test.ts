// The real registry (CNCF distribution 2.8) accepts Bosun's tokens and rejects forged ones:
// wrong key, alg none, expired, wrong aud. No dockerd needed: the registry's HTTP API is asked
// directly with each bearer token.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, base64url } from 'jose';
import { parse } from 'yaml';
import { BatchSigner } from '../../src/server/token/batchSigner.js';
import { issueRegistryToken } from '../../src/server/token/registryToken.js';
import { TOKEN_ISSUER, registryAuthYaml, type TokenAuthBlock } from '../../src/server/token/registryConfig.js';
import { bundlePath, ensureSigningKey, rotateSigningKey, type ActiveSigningKey } from '../../src/server/token/signingKeys.js';
import { startRegistry, type Registry } from '../helpers/real/registry.js';
import { existsSync } from 'node:fs';

const SERVICE = 'registry.test';
const skip = existsSync('/usr/bin/docker-registry') ? false : 'docker-registry (distribution 2.8) is not installed';
let dir = '';
let registry: Registry | undefined;
let key: ActiveSigningKey;
let auth: { token: TokenAuthBlock };
const signer = new BatchSigner();

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'bosun-regauth-'));
  key = await ensureSigningKey(join(dir, 'data'));
  const block: TokenAuthBlock = { realm: 'http://127.0.0.1:9/token', service: SERVICE, issuer: TOKEN_ISSUER, rootcertbundle: bundlePath(join(dir, 'data')) };
  ({ auth } = parse(registryAuthYaml(block)) as { auth: { token: TokenAuthBlock } });
  registry = await startRegistry(join(dir, 'registry'), { auth });
});

after(async () => {
  await signer.close();
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const PULL = [{ type: 'repository', name: 'mycompany/api', actions: ['pull'] }];

async function tagsWith(token: string | undefined): Promise<number> {
  const res = await fetch(`${registry?.url}/v2/mycompany/api/tags/list`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  await res.arrayBuffer();
  return res.status;
}

test('a Bosun token with pull is accepted (404 unknown repository, not 401)', { skip }, async () => {
  const { token } = await issueRegistryToken(signer, key, { issuer: TOKEN_ISSUER, audience: SERVICE, subject: 'alice', access: PULL });
  assert.equal(await tagsWith(token), 404);
  assert.equal(await tagsWith(undefined), 401);
});

test('the challenge names the realm and service', { skip }, async () => {
  const res = await fetch(`${registry?.url}/v2/mycompany/api/tags/list`);
  assert.match(
    res.headers.get('www-authenticate') ?? '',
    /^Bearer realm="http:\/\/127\.0\.0\.1:9\/token",service="registry\.test",scope="repository:mycompany\/api:pull"/,
  );
});

test('a token granting another repository is refused', { skip }, async () => {
  const { token } = await issueRegistryToken(signer, key, {
    issuer: TOKEN_ISSUER,
    audience: SERVICE,
    subject: 'alice',
    access: [{ type: 'repository', name: 'mycompany/other', actions: ['pull'] }],
  });
  assert.equal(await tagsWith(token), 401);
});

test('forged: signed by another key (even one with its own x5c) is rejected', { skip }, async () => {
  const other = await ensureSigningKey(join(dir, 'other'));
  const { token } = await issueRegistryToken(signer, other, { issuer: TOKEN_ISSUER, audience: SERVICE, subject: 'alice', access: PULL });
  assert.equal(await tagsWith(token), 401);
  // The trusted kid on a signature made by another key.
  const { token: lying } = await issueRegistryToken(
    signer,
    { ...other, kid: key.kid, certificateDer: key.certificateDer },
    { issuer: TOKEN_ISSUER, audience: SERVICE, subject: 'alice', access: PULL },
  );
  assert.equal(await tagsWith(lying), 401);
});

test('forged: alg none is rejected', { skip }, async () => {
  const now = Math.floor(Date.now() / 1000);
  const enc = (v: unknown) => base64url.encode(JSON.stringify(v));
  const claims = { iss: TOKEN_ISSUER, sub: 'alice', aud: SERVICE, exp: now + 300, nbf: now, iat: now, jti: 'x', access: PULL };
  assert.equal(await tagsWith(`${enc({ alg: 'none', typ: 'JWT', kid: key.kid })}.${enc(claims)}.`), 401);
});

test('forged: expired, wrong aud, wrong issuer, aud as an array are rejected', { skip }, async () => {
  const expired = await issueRegistryToken(signer, key, {
    issuer: TOKEN_ISSUER,
    audience: SERVICE,
    subject: 'alice',
    access: PULL,
    now: new Date(Date.now() - 3600_000),
  });
  assert.equal(await tagsWith(expired.token), 401);
  const wrongAud = await issueRegistryToken(signer, key, { issuer: TOKEN_ISSUER, audience: 'other.registry', subject: 'alice', access: PULL });
  assert.equal(await tagsWith(wrongAud.token), 401);
  const wrongIss = await issueRegistryToken(signer, key, { issuer: 'someone-else', audience: SERVICE, subject: 'alice', access: PULL });
  assert.equal(await tagsWith(wrongIss.token), 401);
  const now = Math.floor(Date.now() / 1000);
  const arrayAud = await new SignJWT({ access: PULL })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid, x5c: [key.certificateDer] })
    .setIssuer(TOKEN_ISSUER)
    .setSubject('alice')
    .setAudience([SERVICE])
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .setJti('y')
    .sign(key.privateKey);
  // distribution 2.8 rejects an array aud; this is why Bosun always sends a string.
  assert.equal(await tagsWith(arrayAud), 401);
});

test('rotation with overlap: after a restart with the new bundle, old and new tokens are both accepted (run last)', { skip }, async () => {
  const { token: old } = await issueRegistryToken(signer, key, { issuer: TOKEN_ISSUER, audience: SERVICE, subject: 'alice', access: PULL });
  const rotated = await rotateSigningKey(join(dir, 'data'));
  const next = await ensureSigningKey(join(dir, 'data'));
  assert.equal(next.kid, rotated.kid);
  const { token: fresh } = await issueRegistryToken(signer, next, { issuer: TOKEN_ISSUER, audience: SERVICE, subject: 'alice', access: PULL });
  // Before the registry reloads the bundle, it knows only the old key.
  assert.equal(await tagsWith(fresh), 401);
  await registry?.stop();
  registry = await startRegistry(join(dir, 'registry-2'), { auth });
  assert.equal(await tagsWith(old), 404, 'a token of the retired key still works until it expires');
  assert.equal(await tagsWith(fresh), 404, 'a token of the new key works');
});
