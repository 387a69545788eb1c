// The doctor's Agent line: one classification for `bosun doctor` (status over the socket) and the
// app's Diagnostics window (status from its own core).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgentStatus } from '../../../src/core/agent/agentStatus.js';
import { agentCheck, runningAgentCheck } from '../../../src/core/doctor/agentCheck.js';

const base: AgentStatus = {
  state: 'signed-in',
  user: 'alice',
  org: 'mycompany',
  server: 'https://bosun.example',
  allowedOrgs: ['mycompany'],
  policyInsecure: false,
  reason: null,
  graceDeadline: null,
  policyErrors: [],
  registries: ['reg.example'],
};

test('no agent answering: fail, with the fix the caller gives', () => {
  assert.deepEqual(agentCheck(undefined, { notRunningFix: 'run it' }), {
    id: 'agent',
    title: 'Agent',
    status: 'fail',
    detail: 'the Bosun agent is not running, so docker gets no credentials for your organization’s registries.',
    fix: 'run it',
  });
});

test('each state of a running agent, classified once', () => {
  const cases: [AgentStatus, 'ok' | 'warn' | 'fail', string, string | undefined][] = [
    [base, 'ok', 'Signed in as alice · mycompany.', undefined],
    [
      { ...base, state: 'offline-grace', graceDeadline: '2030-01-01T00:00:00.000Z' },
      'warn',
      'Offline: signed in as alice · mycompany until 2030-01-01T00:00:00.000Z.',
      undefined,
    ],
    [
      { ...base, state: 'signed-out', user: null, org: null, reason: 'Your session ended.' },
      'warn',
      'Sign-in required by your organization. Your session ended.',
      'Sign in from the tray or with `bosun login`.',
    ],
    [
      { ...base, state: 'policy-error', user: null, org: null, reason: 'settings.json is missing.' },
      'fail',
      'Policy error: contact IT. settings.json is missing.',
      undefined,
    ],
    [{ ...base, state: 'no-policy', user: null, org: null }, 'ok', 'No sign-in policy on this machine.', undefined],
    [{ ...base, state: 'signing-in', user: null, org: null }, 'ok', 'Signing in….', undefined],
  ];
  for (const [status, expected, detail, fix] of cases) {
    const check = runningAgentCheck(status);
    assert.equal(check.status, expected, status.state);
    assert.equal(check.detail, detail, status.state);
    assert.equal(check.fix, fix, status.state);
    assert.deepEqual(agentCheck(status, { notRunningFix: 'unused' }), check, 'the same check whoever read the status');
  }
});
