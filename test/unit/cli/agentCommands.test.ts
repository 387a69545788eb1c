// The agent's commands as users meet them when something is wrong: no agent running, usage errors,
// no log yet. Each runs the built `bosun` in a sandbox (its own BOSUN_HOME, HOME, DOCKER_CONFIG).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runBosun } from '../../helpers/cli.js';
import { makeSandbox } from '../../helpers/sandbox.js';

const sb = makeSandbox();
after(() => sb.cleanup());
const bosun = (args: string[], input?: string) => runBosun(args, { env: sb.env, input });

test('status without an agent: the state comes from the policy, agentRunning is false, and it says how to start it', async () => {
  const none = await bosun(['status', '--json']);
  assert.equal(none.code, 0, none.stderr);
  const s0 = JSON.parse(none.stdout) as { state: string; user: null; org: null; agentRunning: boolean; message: string };
  assert.deepEqual(
    { state: s0.state, user: s0.user, org: s0.org, agentRunning: s0.agentRunning },
    { state: 'no-policy', user: null, org: null, agentRunning: false },
  );
  assert.match(s0.message, /Start it with `bosun agent`/);
  const policy = join(sb.policyRoot, 'usr/share/docker-desktop/registry/registry.json');
  mkdirSync(dirname(policy), { recursive: true });
  writeFileSync(policy, '{"allowedOrgs": ["mycompany"]}');
  const enforced = JSON.parse((await bosun(['status', '--json'])).stdout) as { state: string; allowedOrgs: string[]; policyErrors: string[] };
  assert.equal(enforced.state, 'policy-error', 'an enforced policy without settings.json fails closed');
  assert.match(enforced.policyErrors.join(' '), /settings file .* is missing/);
  const settings = join(sb.policyRoot, 'etc/bosun/settings.json');
  mkdirSync(dirname(settings), { recursive: true });
  writeFileSync(settings, '{"server": "http://127.0.0.1:9"}');
  const signedOut = JSON.parse((await bosun(['status', '--json'])).stdout) as { state: string; allowedOrgs: string[] };
  assert.deepEqual({ state: signedOut.state, allowedOrgs: signedOut.allowedOrgs }, { state: 'signed-out', allowedOrgs: ['mycompany'] });
  const text = await bosun(['status']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /Sign-in required by your organization[\s\S]*not running\. Start it with `bosun agent`/);
  rmSync(join(sb.policyRoot, 'usr'), { recursive: true });
  rmSync(join(sb.policyRoot, 'etc'), { recursive: true });
});

test('login and logout without an agent: exit 3 with the same explanation; the secret is not echoed', async () => {
  const r = await bosun(['login', '--username', 'alice', '--password-stdin'], 'hunter2-secret');
  assert.equal(r.code, 3);
  assert.match(r.stderr, /agent is not running/);
  assert.doesNotMatch(r.stdout + r.stderr, /hunter2-secret/);
  assert.equal((await bosun(['logout'])).code, 3);
});

test('usage errors exit 2 and show the usage; --help exits 0', async () => {
  const noUser = await bosun(['login', '--password-stdin'], 'x');
  assert.equal(noUser.code, 2);
  assert.match(noUser.stderr, /--username is required/);
  const unknown = await bosun(['status', '--bogus']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown option '--bogus'[\s\S]*Usage: bosun status/);
  const notTty = await bosun(['login', '--username', 'alice']);
  assert.equal(notTty.code, 2);
  assert.match(notTty.stderr, /--password-stdin/);
  const help = await bosun(['logs', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: bosun logs/);
  const badN = await bosun(['logs', '-n', 'many']);
  assert.equal(badN.code, 2);
  assert.match(badN.stderr, /-n must be a whole number/);
});

test('logs before the agent ever ran: exit 1 and where the log will be', async () => {
  const r = await bosun(['logs']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`No log yet at ${sb.bosunHome}/logs/bosun\\.log`));
  const where = await bosun(['logs', '--path']);
  assert.equal(where.stdout.trim(), `${sb.bosunHome}/logs/bosun.log`);
});

test('doctor without an agent or policy: a report that names the agent problem and exits 1', async () => {
  const r = await bosun(['doctor', '--json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { healthy: boolean; checks: { id: string; status: string; fix?: string }[] };
  assert.equal(report.healthy, false);
  const agent = report.checks.find((c) => c.id === 'agent');
  assert.equal(agent?.status, 'fail');
  assert.match(agent?.fix ?? '', /bosun agent/);
  assert.equal(report.checks.find((c) => c.id === 'policy')?.status, 'info', 'no policy deployed is information, not a failure');
});
