// A failed sign-in must not write what was typed as a username (perhaps a password typed into the
// wrong field) to the audit: every entry point of a real `bosun server` process, checked through
// the admin audit API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { accountToken, ADMIN, startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';
import { signInFrom, registryTokenFrom, formFrom } from '../../helpers/fromAddress.js';

const SERVICE = 'registry.test';
const SEED = {
  registries: [{ host: '127.0.0.1:5999', service: SERVICE }],
  users: ['alice', 'bob', 'carol', 'dave'].map((name) => ({ name, password: `${name}-password` })),
};

let server: BosunServerHandle;
before(async () => {
  server = await startBosunServer({ seed: SEED });
});
after(async () => {
  await server?.stop();
});

/** The client addresses this file plays (each 127.x address is its own client to the server). */
const ATTACKER = { audit: '127.0.0.8' };

async function adminCall(method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = await accountToken(server.url, ADMIN.name, ADMIN.password);
  const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

test('a failed sign-in never writes the typed username to the audit when it is no account', async () => {
  const typed = 'Tr0ub4dor&3-correct-horse';
  const r1 = await signInFrom(server.url, ATTACKER.audit, typed, 'whatever');
  assert.equal(r1.status, 401);
  assert.equal((await signInFrom(server.url, ATTACKER.audit, typed, 'again')).status, 401);
  assert.equal((await registryTokenFrom(server.url, ATTACKER.audit, SERVICE, typed, 'whatever')).status, 401, 'the registry token service (GET /token, Basic)');
  assert.equal(
    (await formFrom(server.url, ATTACKER.audit, '/token', { grant_type: 'password', username: typed, password: 'x', service: SERVICE })).status,
    401,
    'POST /token password grant',
  );
  assert.ok(
    (await formFrom(server.url, ATTACKER.audit, '/device', { user_code: 'BBBB-BBBB', username: typed, password: 'x', decision: 'approve' })).status >= 400,
    'the device page',
  );
  assert.equal((await signInFrom(server.url, ATTACKER.audit, 'dave', 'wrong')).status, 401);

  const { body } = await adminCall('GET', '/api/v1/audit?limit=1000');
  const records = body.records as Array<{ actor: string | null; ip: string; action: string; detail: string | null; target: string | null }>;
  const text = JSON.stringify(records);
  assert.ok(!text.toLowerCase().includes(typed.toLowerCase()), `the typed name reached the audit:\n${text}`);
  const fromAttacker = records.filter((r) => r.ip === ATTACKER.audit);
  const unknown = fromAttacker.filter((r) => r.actor?.startsWith('unknown user #'));
  assert.ok(unknown.length >= 6, `each refusal names an unknown user by tag: ${JSON.stringify(fromAttacker)}`);
  assert.equal(new Set(unknown.map((r) => r.actor)).size, 1, 'the same typed name always gets the same tag, so attempts correlate');
  assert.ok(
    fromAttacker.some((r) => r.action === 'sign-in' && r.actor === 'dave'),
    'an existing account is named',
  );
});
