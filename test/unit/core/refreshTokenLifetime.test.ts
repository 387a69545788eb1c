// When a refresh token ends on its own: absolute lifetime, idle timeout, its PAT's expiry; a time
// that does not parse counts as expired (fail closed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lastUseRecordingIntervalMs, refreshTokenState } from '../../../src/core/authentication/refreshTokenLifetime.js';

const DAY = 86_400_000;
const limits = { maxAgeSeconds: 30 * 86_400, idleSeconds: 7 * 86_400 };
const t0 = Date.parse('2026-01-01T00:00:00Z');

test('a token in use lives until its absolute lifetime, then ends with the reason', () => {
  assert.deepEqual(refreshTokenState({ createdMs: t0, lastUsedMs: t0 + 29 * DAY }, limits, t0 + 29 * DAY + 1000), { live: true });
  const ended = refreshTokenState({ createdMs: t0, lastUsedMs: t0 + 30 * DAY - 1 }, limits, t0 + 30 * DAY);
  assert.equal(ended.live, false);
  assert.deepEqual(ended.live ? undefined : [ended.rule, ended.reason], [
    'refresh.max-age',
    "this sign-in is older than the server's limit of 30 days; sign in again",
  ]);
});

test('a token unused for the idle timeout ends; idle time counts from issue when it was never used', () => {
  const never = refreshTokenState({ createdMs: t0 }, limits, t0 + 7 * DAY);
  assert.deepEqual(never.live ? undefined : [never.rule, never.reason], ['refresh.idle', 'this sign-in was not used for 7 days; sign in again']);
  assert.equal(refreshTokenState({ createdMs: t0, lastUsedMs: t0 + 5 * DAY }, limits, t0 + 11 * DAY).live, true);
  assert.equal(refreshTokenState({ createdMs: t0, lastUsedMs: t0 + 5 * DAY }, limits, t0 + 12 * DAY).live, false);
});

test('a token from a PAT ends when the PAT expires, whatever the server limits', () => {
  const s = refreshTokenState({ createdMs: t0, lastUsedMs: t0, patExpiresMs: t0 + 1000 }, limits, t0 + 1000);
  assert.equal(s.live ? undefined : s.rule, 'refresh.pat-expired');
});

test('unparseable times fail closed', () => {
  assert.equal(refreshTokenState({ createdMs: Number.NaN }, limits, t0).live, false);
  assert.equal(refreshTokenState({ createdMs: t0, patExpiresMs: Number.NaN }, limits, t0).live, false);
});

test('property: a live token is always younger than the absolute lifetime and used within the idle timeout', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 60 * DAY }),
      fc.integer({ min: 0, max: 60 * DAY }),
      fc.integer({ min: 1, max: 40 * 86_400 }),
      fc.integer({ min: 1, max: 40 * 86_400 }),
      (used, now, max, idle) => {
        const lastUsedMs = t0 + Math.min(used, now);
        const state = refreshTokenState({ createdMs: t0, lastUsedMs }, { maxAgeSeconds: max, idleSeconds: idle }, t0 + now);
        if (state.live) {
          assert.ok(now < max * 1000);
          assert.ok(t0 + now - lastUsedMs < idle * 1000);
        }
      },
    ),
  );
});

test('last use is recorded at most once a minute, and often enough for a short idle timeout', () => {
  assert.equal(lastUseRecordingIntervalMs(limits), 60_000);
  assert.equal(lastUseRecordingIntervalMs({ maxAgeSeconds: 60, idleSeconds: 4 }), 1000);
});
