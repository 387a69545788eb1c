// The token signing worker (batchSigner.ts starts it): ES256 signatures, raw r‖s as JWS wants
// (RFC 7518 §3.4), for one batch of signing inputs per message. Plain JavaScript so the same file
// runs from src/ (tests, through tsx), from dist/src/ and beside the bundled CLI (scripts/build.mjs
// copies it to both): Node 20's workers do not inherit tsx's loader, so a TypeScript worker would
// not start from src/.
//   in:  { id, keyId, key?: KeyObject (sent once per key), inputs: string[] }
//   out: { id, signatures: Uint8Array (64 bytes per input, in order) } or { id, error }
import { sign } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

if (!parentPort) throw new Error('signingWorker.mjs runs only as a worker thread');
const port = parentPort;
/** Keys by the number the signer gave them: each is sent once. */
const keys = new Map();

port.on('message', (batch) => {
  if (batch.key) keys.set(batch.keyId, batch.key);
  const key = keys.get(batch.keyId);
  const out = new Uint8Array(64 * batch.inputs.length);
  try {
    batch.inputs.forEach((input, i) => out.set(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }), 64 * i));
    port.postMessage({ id: batch.id, signatures: out }, [out.buffer]);
  } catch (e) {
    port.postMessage({ id: batch.id, error: String((e && e.message) || e) });
  }
});
