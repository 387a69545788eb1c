import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decide,
  formatUserCode,
  normalizeUserCode,
  poll,
  USER_CODE_ALPHABET,
  type DeviceRequest,
} from '../../../src/core/authentication/deviceAuthorization.js';

const T0 = 1_000_000;
const req: DeviceRequest = { userCode: 'BCDF-GHJK', clientId: 'bosun-agent', createdAt: T0, expiresAt: T0 + 600_000, intervalSec: 5, status: 'pending' };

test('user codes are XXXX-XXXX over the RFC 8628 base-20 alphabet, and typing is forgiving', () => {
  assert.equal(formatUserCode([0, 1, 2, 3, 4, 5, 6, 7]), 'BCDF-GHJK');
  assert.equal(normalizeUserCode(' bcdf ghjk '), 'BCDF-GHJK');
  assert.equal(normalizeUserCode('bcdfghjk'), 'BCDF-GHJK');
  assert.equal(normalizeUserCode('BCDF-GHJA'), undefined, 'A is not in the alphabet');
  assert.equal(normalizeUserCode('BCDF-GHJ'), undefined);
  assert.throws(() => formatUserCode([0, 1, 2]));
  assert.throws(() => formatUserCode([0, 1, 2, 3, 4, 5, 6, 20]));
});

test('every formatted code normalizes to itself', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: USER_CODE_ALPHABET.length - 1 }), { minLength: 8, maxLength: 8 }), (ix) => {
      const code = formatUserCode(ix);
      assert.equal(normalizeUserCode(code), code);
      assert.equal(normalizeUserCode(code.toLowerCase().replace('-', ' ')), code);
    }),
  );
});

test('polling: pending, slow_down when too fast (interval +5 s), approved, denied, expired', () => {
  const p1 = poll(req, T0 + 1000);
  assert.deepEqual(p1.answer, { kind: 'error', error: 'authorization_pending' });
  const p2 = poll(p1.next, T0 + 2000);
  assert.deepEqual(p2.answer, { kind: 'error', error: 'slow_down' });
  assert.equal(p2.next.intervalSec, 10);
  const p3 = poll(p2.next, T0 + 12_001);
  assert.deepEqual(p3.answer, { kind: 'error', error: 'authorization_pending' });

  const approved = decide(p3.next, T0 + 13_000, { approve: true, user: 'alice' });
  assert.ok(typeof approved === 'object');
  assert.deepEqual(poll(approved, T0 + 20_000).answer, { kind: 'approved', user: 'alice' });
  assert.equal(decide(approved, T0 + 20_000, { approve: false }), 'already-decided');

  const denied = decide(req, T0 + 1, { approve: false });
  assert.ok(typeof denied === 'object');
  assert.deepEqual(poll(denied, T0 + 10_000).answer, { kind: 'error', error: 'access_denied' });

  assert.deepEqual(poll(req, req.expiresAt).answer, { kind: 'error', error: 'expired_token' });
  assert.equal(decide(req, req.expiresAt, { approve: true, user: 'alice' }), 'expired');
});
