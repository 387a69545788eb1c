// `bosun doctor`'s keychain check in the installed `bosun`, which cannot load keytar (a single
// executable carries no native modules): it reports what the running agent holds instead. The path
// through keytar failing to load is run for real in test/unit/packaging/cliBundle.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keychainCheckedByAgent } from '../../../src/agent/doctor/collectChecks.js';
import type { AgentStatus } from '../../../src/core/agent/agentStatus.js';

const base: AgentStatus = {
  state: 'signed-out',
  user: null,
  org: null,
  server: null,
  allowedOrgs: ['mycompany'],
  policyInsecure: false,
  reason: null,
  graceDeadline: null,
  policyErrors: [],
  registries: ['registry.example.com'],
};

test('signed in: ok, naming the session the agent keeps in the keychain', () => {
  const check = keychainCheckedByAgent({ ...base, state: 'signed-in', user: 'alice', org: 'mycompany', server: 'https://bosun.example.com' });
  assert.deepEqual(check, {
    id: 'keychain',
    title: 'OS keychain',
    status: 'ok',
    detail: 'checked by the running agent: it holds the session of alice · mycompany in the keychain.',
  });
});

test('signed out: info, with how to sign in', () => {
  const check = keychainCheckedByAgent(base);
  assert.equal(check.status, 'info');
  assert.match(check.detail, /^checked by the running agent, which holds no session \(Sign-in required by your organization\)\.$/);
  assert.match(check.fix ?? '', /bosun login/);
});

test('no agent: info, pointing at the agent check', () => {
  assert.deepEqual(keychainCheckedByAgent(undefined), {
    id: 'keychain',
    title: 'OS keychain',
    status: 'info',
    detail: 'checked by the running agent, and no agent is running (see Agent above).',
  });
});
