// The agent's commands as users meet them when something is wrong: no agent running, usage errors,
// no log yet. Each runs the built `bosun` in a sandbox (its own BOSUN_HOME, HOME, DOCKER_CONFIG).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { runBosun } from '../../helpers/cli.js';
import { makeSandbox } from '../../helpers/sandbox.js';

const sb = makeSandbox();
after(() => sb.cleanup());
const bosun = (args: string[], input?: string) => runBosun(args, { env: sb.env, input });

test('status without an agent: exit 3, JSON says agent-not-running, text says how to start it', async () => {
  const json = await bosun(['status', '--json']);
  assert.equal(json.code, 3);
  assert.deepEqual(JSON.parse(json.stdout), { state: 'agent-not-running', user: null, org: null, message: JSON.parse(json.stdout).message });
  const text = await bosun(['status']);
  assert.equal(text.code, 3);
  assert.match(text.stderr, /not running\. Start it with `bosun agent`/);
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
