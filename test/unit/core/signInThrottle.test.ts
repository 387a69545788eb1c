import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SIGN_IN_LIMITS, signInDelayMs, signInGate, tooManyFailedSignIns, waitInWords } from '../../../src/core/authentication/signInThrottle.js';

test('the gate refuses on the pair or the address, with the longer wait, and only slows on the account', () => {
  const L = DEFAULT_SIGN_IN_LIMITS;
  const none = { failures: 0, endsInMs: 0 };
  assert.deepEqual(signInGate(L, { account: 1000, accountAndAddress: none, address: none }), { kind: 'proceed', delayMs: L.maxDelayMs });
  assert.deepEqual(signInGate(L, { account: 10, accountAndAddress: { failures: 10, endsInMs: 1500 }, address: { failures: 100, endsInMs: 90_000 } }), {
    kind: 'refuse',
    retryAfterSec: 90,
  });
  assert.deepEqual(signInGate(L, { account: 0, accountAndAddress: { failures: 9, endsInMs: 1 }, address: { failures: 99, endsInMs: 1 } }), {
    kind: 'proceed',
    delayMs: 0,
  });
  assert.equal(signInDelayMs(L, 1e9), L.maxDelayMs, 'bounded however many failures');
});

test('one wording for a refusal, with the real wait', () => {
  assert.equal(tooManyFailedSignIns(1), 'too many failed sign-ins; try again in 1 second');
  assert.equal(tooManyFailedSignIns(61), 'too many failed sign-ins; try again in 2 minutes');
  assert.equal(tooManyFailedSignIns(900), 'too many failed sign-ins; try again in 15 minutes');
  assert.equal(tooManyFailedSignIns(undefined), 'too many failed sign-ins; try again later');
  assert.equal(tooManyFailedSignIns(Number.NaN), 'too many failed sign-ins; try again later');
  assert.equal(waitInWords(60), '1 minute');
});
