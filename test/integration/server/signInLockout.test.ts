// Ten bad passwords for a name must not lock the real user out: against a real `bosun server`
// process, a guesser at one client address (127.0.0.x on the loopback interface; the server sees
// each as request.ip) is refused, while the real user at another address still signs in, only
// slowed. An administrator clears the limits (audited, in the OpenAPI document).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tooManyFailedSignIns } from '../../../src/core/authentication/signInThrottle.js';
import { HubClient, HubUnreachableError } from '../../../src/agent/hubClient.js';
import { accountToken, ADMIN, startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';
import { fetchFrom, signInFrom, registryTokenFrom } from '../../helpers/fromAddress.js';

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
const ATTACKER = { lockout: '127.0.0.2' };
const USER = { lockout: '127.0.0.3' };

async function adminCall(method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = await accountToken(server.url, ADMIN.name, ADMIN.password);
  const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

test('bad passwords from one address do not lock the real user out from theirs; an admin clears the limits', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await signInFrom(server.url, ATTACKER.lockout, 'alice', `guess-${i}`)).status);
  assert.deepEqual(statuses, [...Array<number>(10).fill(401), 429, 429], 'the guessing address is refused after 10 failures');

  // The real user, from their own address: slowed (the account is under attack), never refused.
  const started = Date.now();
  const own = await signInFrom(server.url, USER.lockout, 'alice', 'alice-password');
  assert.equal(own.status, 200, await own.clone().text());
  assert.ok(Date.now() - started >= 2500, 'the account is slowed while it is being guessed');
  assert.equal(
    (await registryTokenFrom(server.url, USER.lockout, SERVICE, 'alice', 'alice-password')).status,
    200,
    'the registry token service (docker login) also lets alice in',
  );

  const refused = await signInFrom(server.url, ATTACKER.lockout, 'alice', 'alice-password');
  assert.equal(refused.status, 429, 'the guessing address stays refused, even with the right password');
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
  assert.equal(((await refused.json()) as { message: string }).message, tooManyFailedSignIns(retryAfter), 'the message names the Retry-After wait');
  // The agent's client words it the same way, from the same Retry-After.
  const agentClient = new HubClient({ baseUrl: server.url, fetch: fetchFrom(ATTACKER.lockout) });
  await assert.rejects(agentClient.signIn('alice', 'alice-password'), (err: Error) => {
    assert.ok(err instanceof HubUnreachableError);
    assert.match(err.message, /: too many failed sign-ins; try again in 1[45] minutes$/);
    return true;
  });

  // Only server admins clear the limits, and it is audited.
  const aliceToken = (await (await signInFrom(server.url, USER.lockout, 'alice', 'alice-password')).json()) as { access_token: string };
  const notAdmin = await fetch(`${server.url}/api/v1/users/alice/sign-in-limits`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${aliceToken.access_token}` },
  });
  assert.equal(notAdmin.status, 403);
  const cleared = await adminCall('DELETE', '/api/v1/users/alice/sign-in-limits');
  assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
  assert.deepEqual(cleared.body, { user: 'alice', cleared: true });
  const t0 = Date.now();
  assert.equal((await signInFrom(server.url, ATTACKER.lockout, 'alice', 'alice-password')).status, 200, 'after the clear the address is served again');
  assert.ok(Date.now() - t0 < 2500, 'and no longer slowed');
  const audit = await adminCall('GET', '/api/v1/audit?action=user.sign-in-limits.clear&limit=5');
  const records = audit.body.records as Array<{ actor: string; target: string; detail: string }>;
  assert.equal(records[0]?.actor, ADMIN.name);
  assert.equal(records[0]?.target, 'user alice');
  assert.equal((await adminCall('DELETE', '/api/v1/users/nobody-here/sign-in-limits')).status, 404);
  const doc = (await adminCall('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  assert.ok(doc.paths['/api/v1/users/{user}/sign-in-limits']?.delete, 'documented in the OpenAPI document');
});
