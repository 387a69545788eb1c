import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLogger, LOG_FILE, redact } from '../../../src/common/log.js';

const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJlLWJ5dGVz';
const secrets = ['hunter2-pass', 'rt-9f8e7d6c5b4a', jwt, 'dckr_pat_AbCdEf123456', 'QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'p4ss-in-url'];

function readLines(dir: string): Array<Record<string, unknown>> {
  return readFileSync(join(dir, LOG_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('logger', () => {
  it('never writes a secret to the file, wherever it hides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bosun-log-'));
    try {
      const log = createLogger({ dir });
      log.info('sign-in attempt', { username: 'ann', password: secrets[0], nested: { refreshToken: secrets[1], list: [{ secret: 'x-secret-x' }] } });
      log.warn(`server said Authorization: Bearer ${jwt} for ann`);
      log.error('curl failed', { command: `curl -H "Authorization: Basic ${secrets[4]}" https://ann:${secrets[5]}@example.test/` });
      log.info('stored', { detail: `token=${secrets[1]}&x=1`, pat: `the PAT ${secrets[3]} was used`, err: new Error(`bad password: ${secrets[0]}`) });
      log.audit('sign-in', { user: 'ann', org: 'mycompany', identityToken: secrets[1] });
      await log.close();
      const text = readFileSync(join(dir, LOG_FILE), 'utf8');
      for (const s of [...secrets, 'x-secret-x']) assert.ok(!text.includes(s), `secret ${s} reached the log:\n${text}`);
      const lines = readLines(dir);
      assert.equal(lines.length, 5);
      assert.equal(lines[0]!.username, 'ann', 'non-secret fields are kept');
      assert.equal(lines[4]!.audit, 'sign-in');
      assert.equal(lines[4]!.org, 'mycompany');
      assert.ok(typeof lines[0]!.timestamp === 'string');
      assert.equal(statSync(join(dir, LOG_FILE)).mode & 0o077, 0, 'log file is private to the user');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rotates files by size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bosun-log-'));
    try {
      const log = createLogger({ dir, maxSize: 2000, maxFiles: 3 });
      for (let i = 0; i < 200; i++) log.info(`line ${i} ${'x'.repeat(50)}`);
      await log.close();
      const files = readdirSync(dir);
      assert.ok(files.length >= 2 && files.length <= 3, `expected rotation into 2..3 files, got ${files.join(',')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('redact() keeps shapes and harmless fields', () => {
    assert.deepEqual(redact({ token_type: 'bearer', expires_in: 60, access_token: 'abc' }), { token_type: 'bearer', expires_in: 60, access_token: '[redacted]' });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.doesNotThrow(() => redact(cyclic));
  });
});
