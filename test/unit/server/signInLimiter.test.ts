import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignInLimiter } from '../../../src/server/auth/signInLimiter.js';

test('failures are limited per account and per address, within a window', () => {
  const clock = { now: 0 };
  const limiter = new SignInLimiter({ perAccount: 3, perAddress: 5, windowMs: 60_000 }, () => clock.now);
  for (let i = 0; i < 3; i++) limiter.recordFailure('Alice', '10.0.0.1');
  assert.ok(limiter.blockedFor('alice', '10.0.0.9') > 0, 'per account, whatever the address and case');
  assert.equal(limiter.blockedFor('bob', '10.0.0.9'), 0);
  limiter.recordFailure('bob', '10.0.0.1');
  limiter.recordFailure('carol', '10.0.0.1');
  assert.ok(limiter.blockedFor('dave', '10.0.0.1') > 0, 'per address, whatever the account');
  clock.now += 60_000;
  assert.equal(limiter.blockedFor('alice', '10.0.0.1'), 0, 'the window passes');
});

test('a success clears the account but not the address', () => {
  const limiter = new SignInLimiter({ perAccount: 2, perAddress: 3, windowMs: 60_000 }, () => 0);
  limiter.recordFailure('alice', 'ip');
  limiter.recordFailure('alice', 'ip');
  limiter.recordSuccess('alice');
  assert.equal(limiter.blockedFor('alice', 'other-ip'), 0);
  limiter.recordFailure('bob', 'ip');
  assert.ok(limiter.blockedFor('zoe', 'ip') > 0);
});
