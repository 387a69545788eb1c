// `bosun server start` as a process: SIGTERM → exit 0 within 5 s; the store survives a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBosun } from '../../helpers/cli.js';
import { startBosunServer } from '../../helpers/bosunServer.js';

test('SIGTERM stops the server with exit 0 within 5 s, and data survives a restart', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'bosun-lifecycle-')), 'data');
  try {
    const first = await startBosunServer({ dataDir, seed: { users: [{ name: 'erin', password: 'erin-password' }] } });
    const stopped = await first.stop();
    assert.equal(stopped.code, 0);
    assert.ok(stopped.ms < 5000, `took ${stopped.ms} ms`);
    const second = await startBosunServer({ dataDir });
    try {
      const res = await fetch(`${second.url}/v2/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identifier: 'erin', secret: 'erin-password' }),
      });
      assert.equal(res.status, 200);
      // --init-admin on an existing store leaves the account alone and says so.
      assert.match(second.output().stderr, /already exists/);
    } finally {
      assert.equal((await second.stop()).code, 0);
    }
  } finally {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  }
});

test('start refuses a bad --listen and apply refuses to run without its required flags', async () => {
  writeFileSync(join(tmpdir(), 'bosun-empty-apply.json'), '{}');
  const bad = await runBosun(['server', 'start', '--data', join(tmpdir(), 'unused-bosun'), '--listen', 'nonsense']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--listen must be HOST:PORT/);
  const help = await runBosun(['server', 'start', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--init-admin-password-file/);
  const unreachable = await runBosun(
    ['server', 'apply', '-f', join(tmpdir(), 'bosun-empty-apply.json'), '--url', 'http://127.0.0.1:9', '--username', 'a', '--password-stdin'],
    { input: 'pw\n' },
  );
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /cannot reach the Bosun server at http:\/\/127\.0\.0\.1:9/);
  const noFlags = await runBosun(['server', 'apply', '-f', 'x.yaml']);
  assert.equal(noFlags.code, 2);
  assert.match(noFlags.stderr, /--password-stdin/);
});

test('--init-admin takes the password from stdin when no file is given', async () => {
  const { spawn } = await import('node:child_process');
  const { binPath } = await import('../../helpers/cli.js');
  const root = mkdtempSync(join(tmpdir(), 'bosun-stdin-'));
  const child = spawn(
    process.execPath,
    [binPath('bosun'), 'server', 'start', '--data', join(root, 'data'), '--listen', '127.0.0.1:0', '--init-admin', 'root'],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  try {
    child.stdin.end('stdin-password-123\n');
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const res = await fetch(`${url}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'root', secret: 'stdin-password-123' }),
    });
    assert.equal(res.status, 200);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(root, { recursive: true, force: true });
  }
});
