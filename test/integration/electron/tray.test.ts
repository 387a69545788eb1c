// The tray over the real AgentCore (test/helpers/realAgent.ts: a real Bosun server, gnome-keyring,
// the policy feed and the Docker config manager). Only the `electron` module's Tray and Menu are
// faked, through constructor injection. The tray model's pure cases are in test/unit/electron.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BosunTray, type TrayActions } from '../../../electron/tray.js';
import { fakeTrayElectron } from '../../helpers/fakeElectron.js';
import { agentWorldPerFile } from '../../helpers/realAgent.js';

const { skip, world } = agentWorldPerFile('the tray tests');

function recordingActions() {
  const clicked: string[] = [];
  const actions = Object.fromEntries(
    ['sign-in', 'sign-out', 'switch-org', 'permissions', 'diagnostics', 'open-logs', 'about', 'quit'].map((id) => [id, () => void clicked.push(id)]),
  ) as TrayActions;
  return { clicked, actions };
}

test('BosunTray follows the real core: sign-in and sign-out change icon and menu; clicks reach the actions; dispose stops updates', { skip }, async () => {
  const agent = await world().agent(['mycompany']);
  const electron = fakeTrayElectron('darwin');
  const { clicked, actions } = recordingActions();
  const tray = new BosunTray(electron, agent.core, actions, '/icons');
  const t = electron.trays[0]!;
  const status = () => t.menu.find((i) => i.id === 'status')!.label;
  assert.equal(t.image, '/icons/tray-signed-outTemplate.png');
  assert.equal(status(), 'Sign-in required by your organization');
  t.menu.find((i) => i.id === 'sign-in')!.click!();
  assert.deepEqual(clicked, ['sign-in']);

  assert.equal((await agent.core.login('alice', 'alice-password')).kind, 'signed-in');
  assert.equal(t.image, '/icons/tray-signed-inTemplate.png');
  assert.equal(status(), 'Signed in as alice · mycompany');
  assert.match(t.tooltip, /alice · mycompany/);
  assert.ok(t.menu.some((i) => i.type === 'separator'));
  // The registries the server lists point docker at Bosun's helper in the sandbox's config.json.
  const config = JSON.parse(readFileSync(agent.dockerConfig.path, 'utf8')) as { credHelpers?: Record<string, string> };
  assert.equal(config.credHelpers?.['127.0.0.1:5000'], 'bosun');

  // Membership removed on the server: the next check signs the user out and the tray says so.
  assert.equal((await world().admin('DELETE', '/api/v1/orgs/mycompany/members/alice')).status, 204);
  try {
    await agent.core.checkNow();
    assert.equal(status(), 'Sign-in required by your organization');
    assert.equal(t.image, '/icons/tray-signed-outTemplate.png');
    assert.equal((await agent.core.login('alice', 'alice-password')).kind, 'failed', 'no longer a member: sign-in is refused');
  } finally {
    assert.equal((await world().admin('PUT', '/api/v1/orgs/mycompany/members/alice', { role: 'member' })).status, 200);
  }

  // An admin revokes the session: the next check signs the user out.
  assert.equal((await agent.core.login('alice', 'alice-password')).kind, 'signed-in');
  assert.equal(status(), 'Signed in as alice · mycompany');
  assert.ok((await world().revokeSessions('alice')) >= 1, 'the admin revoked the session');
  await agent.core.checkNow();
  assert.equal(status(), 'Sign-in required by your organization');
  assert.equal(t.image, '/icons/tray-signed-outTemplate.png');
  assert.equal(await agent.identity.load(), undefined, 'the revoked identity left the keychain');

  tray.dispose();
  assert.equal(t.destroyed, true);
  assert.equal((await agent.core.login('alice', 'wrong')).kind, 'failed');
  assert.equal(electron.trays.length, 1, 'a disposed tray does not re-create itself on state changes');
  await agent.dispose();
});
