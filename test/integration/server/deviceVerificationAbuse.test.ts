// The device verification page (RFC 8628) against a real `bosun server` process: user-code
// guesses are limited per address (§5.1), and a live code cannot be told from an unknown one until
// the credentials pass. Clients at distinct loopback addresses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';
import { formFrom, signInFrom } from '../../helpers/fromAddress.js';

const SEED = {
  registries: [{ host: '127.0.0.1:5999', service: 'registry.test' }],
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
const ATTACKER = { device: '127.0.0.6', signIn: '127.0.0.9' };
const USER = { device: '127.0.0.7' };

test('the verification page answers valid and invalid codes alike until the credentials pass, and limits guesses per address', async () => {
  const code = (await (await formFrom(server.url, USER.device, '/oauth/device/code', { client_id: 'bosun-agent' })).json()) as {
    user_code: string;
    device_code: string;
  };
  const unknownCode = code.user_code === 'BBBB-BBBB' ? 'CCCC-CCCC' : 'BBBB-BBBB';

  // Without the right password, a live code and an unknown one look the same.
  const live = await formFrom(server.url, ATTACKER.device, '/device', { user_code: code.user_code, username: 'carol', password: 'wrong', decision: 'approve' });
  const dead = await formFrom(server.url, ATTACKER.device, '/device', { user_code: unknownCode, username: 'carol', password: 'wrong', decision: 'approve' });
  assert.equal(live.status, dead.status);
  assert.equal((await live.text()).replace(code.user_code, 'CODE'), (await dead.text()).replace(unknownCode, 'CODE'));

  // Guesses from one address are limited (RFC 8628 §5.1), with the wait on the page and in Retry-After.
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++)
    statuses.push(
      (
        await formFrom(server.url, ATTACKER.device, '/device', {
          user_code: `${unknownCode.slice(0, 5)}BBB${'CDFGHJKLMN'[i]}`,
          username: `guesser${i}`,
          password: 'wrong',
          decision: 'approve',
        })
      ).status,
    );
  assert.deepEqual(statuses.slice(0, 8), Array<number>(8).fill(401));
  assert.deepEqual(statuses.slice(8), [429, 429], '10 failed attempts per address (2 were spent above)');
  const limited = await formFrom(server.url, ATTACKER.device, '/device', {
    user_code: code.user_code,
    username: 'dave',
    password: 'dave-password',
    decision: 'approve',
  });
  assert.equal(limited.status, 429, 'even a live code with good credentials, from the guessing address');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.match(await limited.text(), /Too many failed sign-ins; try again in 1[45] minutes\./);

  // Once the credentials pass, an unknown code is named as such; the user's own address is not limited.
  const wrongCode = await formFrom(server.url, USER.device, '/device', {
    user_code: unknownCode,
    username: 'carol',
    password: 'carol-password',
    decision: 'approve',
  });
  assert.equal(wrongCode.status, 400);
  assert.match(await wrongCode.text(), /That code is not valid or has expired/);
  const approved = await formFrom(server.url, USER.device, '/device', {
    user_code: code.user_code,
    username: 'carol',
    password: 'carol-password',
    decision: 'approve',
  });
  assert.equal(approved.status, 200);
  assert.match(await approved.text(), /signing in as <strong>carol<\/strong>/);
});

test('the page shows the sign-in limits with their wait, not "not accepted", when the account is held back at that address', async () => {
  for (let i = 0; i < 10; i++) assert.equal((await signInFrom(server.url, ATTACKER.signIn, 'dave', `guess-${i}`)).status, 401);
  const code = (await (await formFrom(server.url, ATTACKER.signIn, '/oauth/device/code', { client_id: 'bosun-agent' })).json()) as { user_code: string };
  const page = await formFrom(server.url, ATTACKER.signIn, '/device', {
    user_code: code.user_code,
    username: 'dave',
    password: 'dave-password',
    decision: 'approve',
  });
  assert.equal(page.status, 429);
  assert.ok(Number(page.headers.get('retry-after')) > 0);
  assert.match(await page.text(), /Too many failed sign-ins; try again in 1[45] minutes\./);
});
