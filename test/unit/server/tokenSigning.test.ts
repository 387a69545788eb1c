// Signing key, certificate, libtrust kid, JWT shape, rotation with overlap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { libtrustKeyIdFromSpki } from '../../../src/server/token/keyId.js';
import { BatchSigner } from '../../../src/server/token/batchSigner.js';
import { issueRegistryToken } from '../../../src/server/token/registryToken.js';
import { bundlePath, ensureSigningKey, rotateSigningKey, writeCertificateBundle } from '../../../src/server/token/signingKeys.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bosun-token-'));
}

function certsIn(bundle: string): X509Certificate[] {
  const pems = readFileSync(bundle, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  return pems.map((p) => new X509Certificate(p));
}

test('libtrust kid: SHA-256 of the DER SPKI, 30 bytes, base32, 12 groups of 4', () => {
  const spki = Buffer.from('any bytes stand for a key here');
  const kid = libtrustKeyIdFromSpki(spki);
  assert.match(kid, /^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
  // Independent base32 decode of the kid gives back the digest's first 30 bytes.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = kid
    .replaceAll(':', '')
    .split('')
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0'))
    .join('');
  const bytes = Buffer.from(bits.match(/.{8}/g)?.map((b) => parseInt(b, 2)) ?? []);
  assert.deepEqual(bytes, createHash('sha256').update(spki).digest().subarray(0, 30));
});

test('first start generates a P-256 key, a self-signed certificate and the bundle; later starts reuse them', async () => {
  const dir = tempDir();
  try {
    const first = await ensureSigningKey(dir);
    const again = await ensureSigningKey(dir);
    assert.equal(first.kid, again.kid);
    assert.equal(first.privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(statSync(join(dir, 'token-signing/keys.json')).mode & 0o777, 0o600);
    const cert = new X509Certificate(first.certificatePem);
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
    assert.ok(cert.checkPrivateKey(first.privateKey));
    const [bundled] = certsIn(bundlePath(dir));
    assert.equal(bundled?.fingerprint256, cert.fingerprint256);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tokens: ES256 raw r‖s, kid and x5c headers, string aud, all claims', async (t) => {
  const dir = tempDir();
  const signer = new BatchSigner();
  t.after(() => signer.close());
  try {
    const key = await ensureSigningKey(dir);
    const access = [{ type: 'repository', name: 'mycompany/api', actions: ['pull'] }];
    const { token, expiresIn } = await issueRegistryToken(signer, key, { issuer: 'bosun', audience: 'registry.test', subject: 'alice', access });
    assert.ok(expiresIn >= 60);
    const header = decodeProtectedHeader(token);
    assert.equal(header.alg, 'ES256');
    assert.equal(header.kid, key.kid);
    assert.deepEqual(header.x5c, [key.certificateDer]);
    assert.equal(Buffer.from(token.split('.')[2] ?? '', 'base64url').length, 64, 'raw r‖s, not DER');
    const { payload } = await jwtVerify(token, await importX509(key.certificatePem, 'ES256'), { issuer: 'bosun', audience: 'registry.test' });
    assert.equal(typeof payload.aud, 'string');
    assert.equal(payload.sub, 'alice');
    assert.deepEqual(payload.access, access);
    for (const claim of ['exp', 'nbf', 'iat', 'jti']) assert.ok(payload[claim] !== undefined, claim);
    assert.equal(libtrustKeyIdFromSpki(createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' })), key.kid);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rotation with overlap: the bundle holds old and new until old tokens expire', async () => {
  const dir = tempDir();
  try {
    const t0 = new Date('2026-11-28T12:00:00Z');
    const old = await ensureSigningKey(dir, t0);
    const rotated = await rotateSigningKey(dir, t0);
    assert.equal(rotated.previousKid, old.kid);
    assert.notEqual(rotated.kid, old.kid);
    assert.equal(certsIn(bundlePath(dir)).length, 2);
    const current = await ensureSigningKey(dir, t0);
    assert.equal(current.kid, rotated.kid);
    // Ten minutes later every token of the old key has expired: the bundle drops its certificate.
    await writeCertificateBundle(dir, new Date(t0.getTime() + 10 * 60_000));
    const left = certsIn(bundlePath(dir));
    assert.equal(left.length, 1);
    assert.equal(left[0]?.fingerprint256, new X509Certificate(current.certificatePem).fingerprint256);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
