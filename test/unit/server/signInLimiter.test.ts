import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignInLimiter, type SignInAdmission } from '../../../src/server/auth/signInLimiter.js';
import type { SignInLimits } from '../../../src/core/authentication/signInThrottle.js';

const LIMITS: SignInLimits = { perAccountAndAddress: 3, perAddress: 5, windowMs: 60_000, slowAfter: 2, firstDelayMs: 100, maxDelayMs: 350 };

function fail(limiter: SignInLimiter, account: string, address: string): SignInAdmission {
  const a = limiter.begin(account, address);
  if (a.kind === 'proceed') limiter.settle(a.attempt, 'failed');
  return a;
}

test('failures refuse the (account, address) pair, never the account from another address', () => {
  const clock = { now: 0 };
  const limiter = new SignInLimiter(LIMITS, () => clock.now);
  for (let i = 0; i < 3; i++) assert.equal(fail(limiter, 'Alice', '10.0.0.1').kind, 'proceed');
  const refused = limiter.begin('alice', '10.0.0.1');
  assert.deepEqual(refused, { kind: 'refuse', retryAfterSec: 60 }, 'per account and address, whatever the case');
  const other = limiter.begin('alice', '10.0.0.9');
  assert.equal(other.kind, 'proceed', 'the same account from another address is admitted');
  assert.equal(other.kind === 'proceed' && other.delayMs, 200, 'but slowed: 3 failures on the account, slowAfter 2 → 100 ms doubled once');
  clock.now += 60_000;
  assert.equal(limiter.begin('alice', '10.0.0.1').kind, 'proceed', 'the window passes');
});

test('the account delay grows with its failures and stops at the cap', () => {
  const limiter = new SignInLimiter({ ...LIMITS, perAccountAndAddress: 100, perAddress: 100 }, () => 0);
  const delays: number[] = [];
  for (let i = 0; i < 6; i++) {
    const a = fail(limiter, 'alice', `10.0.0.${i}`);
    delays.push(a.kind === 'proceed' ? a.delayMs : -1);
  }
  assert.deepEqual(delays, [0, 0, 100, 200, 350, 350]);
});

test('an address is refused after its own failures, whatever the accounts', () => {
  const limiter = new SignInLimiter(LIMITS, () => 0);
  for (const name of ['a', 'b', 'c', 'd', 'e']) fail(limiter, name, 'ip');
  assert.equal(limiter.begin('zoe', 'ip').kind, 'refuse');
  assert.equal(limiter.begin('zoe', 'other-ip').kind, 'proceed');
});

test('attempts in flight count, so parallel guesses cannot overrun the pair limit', () => {
  const limiter = new SignInLimiter(LIMITS, () => 0);
  const admitted = Array.from({ length: 10 }, () => limiter.begin('alice', 'ip')).filter((a) => a.kind === 'proceed');
  assert.equal(admitted.length, 3);
});

test('right credentials take the attempt back and clear their own pair only; an admin clears the account everywhere', () => {
  const limiter = new SignInLimiter(LIMITS, () => 0);
  fail(limiter, 'alice', 'ip-a');
  fail(limiter, 'alice', 'ip-a');
  const good = limiter.begin('alice', 'ip-a');
  assert.ok(good.kind === 'proceed');
  limiter.settle(good.attempt, 'succeeded');
  for (let i = 0; i < 3; i++) assert.equal(fail(limiter, 'alice', 'ip-a').kind, 'proceed', 'the pair starts over after a success');
  for (let i = 0; i < 3; i++) fail(limiter, 'alice', 'ip-b');
  assert.equal(limiter.begin('alice', 'ip-b').kind, 'refuse');
  assert.equal(limiter.clearAccount('ALICE'), true);
  const after = limiter.begin('alice', 'ip-b');
  assert.deepEqual(after.kind === 'proceed' && after.delayMs, 0, 'cleared: neither refused nor slowed');
  assert.equal(limiter.clearAccount('nobody'), false);
});
