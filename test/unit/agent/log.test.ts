import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger, LOG_FILE, redact } from '../../../src/common/log.js';
import { createServerLogger } from '../../../src/server/logger.js';
import { newToken } from '../../../src/server/store/secrets.js';
import { PAT_PREFIX } from '../../../src/server/store/tokens.js';
import { REFRESH_TOKEN_PREFIX } from '../../../src/server/store/sessions.js';

const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJlLWJ5dGVz';
// Tokens exactly as the server issues them (its own generator and prefixes), so a new format cannot slip past the redactor.
const refreshToken = newToken(REFRESH_TOKEN_PREFIX);
const pat = newToken(PAT_PREFIX);
const secrets = ['hunter2-pass', 'rt-9f8e7d6c5b4a', jwt, 'dckr_pat_AbCdEf123456', 'QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'p4ss-in-url', refreshToken, pat];

function readLines(dir: string): Array<Record<string, unknown>> {
  return readFileSync(join(dir, LOG_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
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
      // A token inside free text (an error message), where no key name gives it away.
      log.error(`refresh failed for ${refreshToken}: unknown`, { detail: `docker login with ${pat} refused` });
      await log.close();
      const text = readFileSync(join(dir, LOG_FILE), 'utf8');
      for (const s of [...secrets, 'x-secret-x']) assert.ok(!text.includes(s), `secret ${s} reached the log:\n${text}`);
      const lines = readLines(dir);
      assert.equal(lines.length, 6);
      assert.match(
        String(lines[5]!.message),
        /^refresh failed for bosun_rt_\[redacted\]: unknown$/,
        'the prefix stays, so the line says what kind of token it was',
      );
      assert.equal(lines[0]!.username, 'ann', 'non-secret fields are kept');
      assert.equal(lines[4]!.audit, 'sign-in');
      assert.equal(lines[4]!.org, 'mycompany');
      assert.ok(typeof lines[0]!.timestamp === 'string');
      assert.equal(statSync(join(dir, LOG_FILE)).mode & 0o077, 0, 'log file is private to the user');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the server logger redacts the same way', async () => {
    let out = '';
    const logger = createServerLogger('debug');
    logger.clear();
    logger.add(new winston.transports.Stream({ stream: new Writable({ write: (chunk: Buffer, _e, done) => ((out += chunk.toString()), done()) }) }));
    logger.error('request failed', { path: '/token', error: `the refresh token ${refreshToken} is unknown` });
    logger.warn(`docker login with ${pat} and Authorization: Bearer ${jwt} refused`, { password: 'hunter2-pass' });
    await new Promise<void>((resolve) => {
      logger.once('finish', resolve);
      logger.end();
    });
    for (const s of [refreshToken, pat, jwt, 'hunter2-pass']) assert.ok(!out.includes(s), `secret ${s} reached the server log:\n${out}`);
    assert.match(out, /bosun_pat_\[redacted\]/);
    assert.match(out, /"path":"\/token"/, 'non-secret fields are kept');
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
    assert.deepEqual(redact({ token_type: 'bearer', expires_in: 60, access_token: 'abc' }), {
      token_type: 'bearer',
      expires_in: 60,
      access_token: '[redacted]',
    });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.doesNotThrow(() => redact(cyclic));
  });
});
