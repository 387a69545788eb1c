import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentCore } from '../../../src/agent/core.js';
import { controlMethods, ControlParamsError } from '../../../src/agent/control/controlMethods.js';
import { MemoryAccount, MemoryDockerConfig, MemoryIdentity, MemoryPolicy } from '../../helpers/memoryPorts.js';

async function setup(orgs = ['mycompany']) {
  const policy = new MemoryPolicy({ state: 'enforced', allowedOrgs: orgs, errors: [], insecure: false });
  const identity = new MemoryIdentity();
  const dockerConfig = new MemoryDockerConfig();
  const account = new MemoryAccount({ alice: { password: 'pw', orgs: ['mycompany', 'other'] }, bob: { password: 'pw', orgs: ['elsewhere'] } });
  const core = new AgentCore({ policy, identity, dockerConfig, account });
  await core.start();
  const control = controlMethods(core);
  const call = (m: string, p?: unknown) => {
    const h = control.methods[m];
    assert.ok(h, `method ${m} exists`);
    return h(p) as Promise<Record<string, unknown>>;
  };
  return {
    core,
    identity,
    dockerConfig,
    account,
    policy,
    call,
    done: async () => {
      control.dispose();
      await core.dispose();
    },
  };
}

test('status, login, logout over the control methods drive the real core', async () => {
  const t = await setup();
  try {
    assert.equal((await t.call('agent.status')).state, 'signed-out');
    const r = await t.call('agent.login', { username: 'alice', secret: 'pw' });
    assert.deepEqual((r.outcome as { kind: string }).kind, 'signed-in');
    assert.equal((r.status as { state: string; org: string }).org, 'mycompany');
    assert.equal(t.identity.stored?.session.user, 'alice');
    assert.deepEqual(t.dockerConfig.registries, ['127.0.0.1:5000']);
    const out = await t.call('agent.logout');
    assert.equal(out.state, 'signed-out');
    assert.equal(t.identity.stored, undefined);
    assert.equal(t.account.revoked.length, 1);
  } finally {
    await t.done();
  }
});

test('a non-member gets the core’s explanation, and stays signed out', async () => {
  const t = await setup();
  try {
    const r = await t.call('agent.login', { username: 'bob', secret: 'pw' });
    assert.equal((r.outcome as { kind: string }).kind, 'failed');
    assert.match((r.outcome as { message: string }).message, /not a member of mycompany/);
    assert.equal((r.status as { state: string }).state, 'signed-out');
  } finally {
    await t.done();
  }
});

test('several qualifying orgs ask for a pick; --org picks', async () => {
  const t = await setup(['mycompany', 'other']);
  try {
    const r = await t.call('agent.login', { username: 'alice', secret: 'pw' });
    assert.deepEqual(r.outcome, { kind: 'pick-org', orgs: ['mycompany', 'other'] });
    const r2 = await t.call('agent.login', { username: 'alice', secret: 'pw', org: 'other' });
    assert.equal((r2.status as { org: string }).org, 'other');
  } finally {
    await t.done();
  }
});

test('bad parameters are refused by schema, naming the field, before the core sees them', async () => {
  const t = await setup();
  try {
    await assert.rejects(t.call('agent.login', { username: 'alice' }), (e: unknown) => e instanceof ControlParamsError && /secret is required/.test(e.message));
    await assert.rejects(t.call('agent.status', { extra: 1 }), /extra is not an allowed property/);
    assert.equal(t.identity.stored, undefined);
  } finally {
    await t.done();
  }
});

test('browser sign-in against a server without the device flow fails at once with a clear message', async () => {
  const t = await setup();
  try {
    const r = await t.call('agent.deviceLogin.start', {});
    assert.equal((r.outcome as { kind: string }).kind, 'failed');
    assert.match((r.outcome as { message: string }).message, /does not offer browser sign-in/);
  } finally {
    await t.done();
  }
});
