// The token service's signer: ES256 signatures made on a worker thread, one message per turn of the
// event loop. Every signature must verify against its own key (not another key of the same batch),
// failures must reject (never hang), and the signer must recover after close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { BatchSigner } from '../../../src/server/token/batchSigner.js';

const es256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const verifies = (input: string, signature: Buffer, publicKey: KeyObject) =>
  verify('sha256', Buffer.from(input), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);

test('batch signer: concurrent signatures with two keys each verify against their own key only', async (t) => {
  const signer = new BatchSigner();
  t.after(() => signer.close());
  const a = es256();
  const b = es256();
  const inputs = Array.from({ length: 50 }, (_, i) => `header.payload-${i}-${'x'.repeat(i * 7)}`);
  const signatures = await Promise.all(inputs.map((input, i) => signer.sign(input, i % 2 === 0 ? a.privateKey : b.privateKey)));
  signatures.forEach((signature, i) => {
    const [own, other] = i % 2 === 0 ? [a, b] : [b, a];
    assert.equal(signature.length, 64, 'raw r‖s');
    assert.ok(verifies(inputs[i] as string, signature, own.publicKey), `signature ${i} verifies`);
    assert.ok(!verifies(inputs[i] as string, signature, other.publicKey), `signature ${i} is not the other key's`);
  });
  // A later turn reuses the keys the worker already holds.
  const again = await signer.sign('later', a.privateKey);
  assert.ok(verifies('later', again, a.publicKey));
});

test('batch signer: a failing signature rejects its batch, and the signer keeps working', async (t) => {
  const signer = new BatchSigner();
  t.after(() => signer.close());
  // An RSA signature is not 64 bytes: the worker reports the failure instead of a wrong signature.
  const { privateKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await assert.rejects(signer.sign('input', rsa), /signing failed/);
  const ec = es256();
  assert.ok(verifies('next', await signer.sign('next', ec.privateKey), ec.publicKey));
});

test('batch signer: close() fails what is pending; the next signature starts a new worker', async () => {
  const signer = new BatchSigner();
  const ec = es256();
  const pending = signer.sign('pending', ec.privateKey);
  await signer.close();
  await assert.rejects(pending, /closed/);
  const signature = await signer.sign('after close', ec.privateKey);
  assert.ok(verifies('after close', signature, ec.publicKey));
  await signer.close();
});
