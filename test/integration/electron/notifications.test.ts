// The shell's notifications over the real AgentCore (test/helpers/realAgent.ts: a real Bosun server,
// gnome-keyring, the policy feed watching registry.json, the Docker config manager). The Notification
// class is replaced by a recorder passed to wireNotifications; nothing else is faked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notificationTitle, wireNotifications } from '../../../electron/notifications.js';
import { agentWorldPerFile, type RealAgent } from '../../helpers/realAgent.js';

const { skip, world } = agentWorldPerFile('the notification tests');

/** Rewrites registry.json and waits for the watcher to hand the core the new policy. */
async function changePolicy(agent: RealAgent, orgs: string[]): Promise<void> {
  agent.writePolicy(orgs);
  const t0 = Date.now();
  while (JSON.stringify(agent.core.state.policy.allowedOrgs) !== JSON.stringify(orgs)) {
    assert.ok(Date.now() - t0 < 10_000, `the core did not see allowedOrgs ${orgs.join(',')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await agent.core.idle();
}

test('notifications: the core’s topics become titled notifications; sign-in ones open the sign-in window', { skip }, async () => {
  const agent = await world().agent(['mycompany']);
  const shown: { title: string; body: string; onClick: (() => void) | undefined }[] = [];
  let opened = 0;
  const off = wireNotifications(agent.core, { show: (title, body, onClick) => void shown.push({ title, body, onClick }) }, () => void opened++);
  assert.equal((await agent.core.login('alice', 'alice-password')).kind, 'signed-in');
  assert.equal((await world().admin('DELETE', '/api/v1/orgs/mycompany/members/alice')).status, 204);
  try {
    await agent.core.checkNow();
    const last = shown.at(-1)!;
    assert.equal(last.title, 'You were signed out');
    assert.match(last.body, /^alice is no longer a member of mycompany\./);
    last.onClick!();
    assert.equal(opened, 1, 'clicking it opens the sign-in window');
  } finally {
    assert.equal((await world().admin('PUT', '/api/v1/orgs/mycompany/members/alice', { role: 'member' })).status, 200);
  }
  const beforeChange = shown.length;
  await changePolicy(agent, ['partner']);
  // The watcher saw the new registry.json: signed out, the user is asked to sign in to the new org.
  assert.deepEqual(
    shown.slice(beforeChange).map((n) => [n.title, n.body]),
    [['Sign-in required', 'Your organization requires you to sign in to partner to pull images.']],
  );
  assert.ok(shown.at(-1)!.onClick, 'it opens the sign-in window');
  assert.equal(notificationTitle('tampering-repaired'), 'Docker settings repaired');
  off();
  const before = shown.length;
  await changePolicy(agent, ['mycompany']);
  assert.equal(shown.length, before, 'unsubscribed');
  await agent.dispose();
});
