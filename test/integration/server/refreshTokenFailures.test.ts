// Bad refresh tokens flooding /token from one address (a NAT, a shared build host) must not get a
// valid refresh token from that address refused: a real `bosun server` process, the clients at
// distinct loopback addresses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';
import { registryTokenFrom, formFrom } from '../../helpers/fromAddress.js';

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
const ATTACKER = { refresh: '127.0.0.4' };

test('a flood of bad refresh tokens from one address does not refuse a valid refresh token from it', async () => {
  const login = await registryTokenFrom(server.url, ATTACKER.refresh, SERVICE, 'bob', 'bob-password', '&offline_token=true&client_id=docker');
  assert.equal(login.status, 200);
  const { refresh_token: refreshToken } = (await login.json()) as { refresh_token: string };
  assert.match(refreshToken, /^bosun_rt_/);

  const refresh = (token: string) =>
    formFrom(server.url, ATTACKER.refresh, '/token', { grant_type: 'refresh_token', refresh_token: token, service: SERVICE, client_id: 'docker' });
  const statuses: number[] = [];
  for (let i = 0; i < 15; i++) statuses.push((await refresh(`bosun_rt_flood-${i}`)).status);
  assert.deepEqual(statuses.slice(0, 10), Array<number>(10).fill(401));
  assert.deepEqual(statuses.slice(10), Array<number>(5).fill(429), 'bad refresh tokens are limited per address');

  const valid = await refresh(refreshToken);
  assert.equal(valid.status, 200, `a valid refresh token from the flooded address: ${await valid.clone().text()}`);
  assert.ok(((await valid.json()) as { token?: string }).token, 'and it gets a registry token');
  assert.equal((await refresh('bosun_rt_flood-again')).status, 429, 'while bad ones from there are still refused');
});
