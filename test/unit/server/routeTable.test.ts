// The admin route table: authentication first, the body checked against its schema (400 naming
// the field), and the response checked against its schema (a drift is a 500, never a silent lie).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { buildServer } from '../../../src/server/app.js';
import { registerRouteTable } from '../../../src/server/http/routeTable.js';

test('route table: 401 without a token, 400 naming the field, 500 when a response breaks its schema', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-routes-'));
  const logger = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
  const server = await buildServer({ dataDir: dir, logger });
  // Routes may still be added until the server listens.
  registerRouteTable(server.app, server.ctx, [
    { method: 'GET', path: '/test/drift', tag: 't', summary: 's', access: 'a', response: 'userList', handler: () => ({ users: [{ name: 'x' }] }) },
    { method: 'GET', path: '/test/fine', tag: 't', summary: 's', access: 'a', response: 'userList', handler: () => ({ users: [] }) },
    { method: 'POST', path: '/test/body', tag: 't', summary: 's', access: 'a', body: 'memberRole', handler: (c) => c.body },
  ]);
  t.after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = await server.listen('127.0.0.1', 0);
  const user = server.ctx.store.users.create({ name: 'tess', passwordHash: null });
  const { token } = await server.ctx.accountTokens.issue({ user: user.name, patId: null });
  const get = (path: string, auth = true) => fetch(url + path, { headers: auth ? { authorization: `Bearer ${token}` } : {} });

  assert.equal((await get('/test/fine', false)).status, 401);
  assert.equal((await get('/test/fine')).status, 200);
  const drift = await get('/test/drift');
  assert.equal(drift.status, 500);
  assert.match(((await drift.json()) as { message: string }).message, /did not match its schema/);
  const bad = await fetch(`${url}/test/body`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"role":"king"}',
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(
    ((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path),
    ['/role'],
  );
});
