import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyDoctorChecks, type SettingsFacts } from '../../../src/core/doctor/policyChecks.js';
import { combineSources, sourceReport, type RootInfo } from '../../../src/core/workstationPolicy/policyReport.js';

const root: RootInfo = { path: '/', seam: 'inactive' };
const now = new Date(0);
const settingsOk: SettingsFacts = {
  status: 'valid',
  path: '/etc/bosun/settings.json',
  settings: { server: 'https://bosun.example', offlineGraceMinutes: 1, recheckMinutes: 1, hubMode: false },
  errors: [],
  root,
};
const insecure = { secure: false, checked: ['/r'], problems: [{ path: '/r', message: 'file /r is writable by every user', fix: 'run: chmod 644 /r' }] };

test('doctor: enforced, protected policy with valid settings is all ok', () => {
  const report = combineSources(
    [
      sourceReport(
        'registry-json',
        '/r',
        { allowedOrgs: ['a'], errors: [], warnings: [] },
        { protection: { secure: true, checked: ['/r', '/'], problems: [] } },
      ),
    ],
    root,
    now,
  );
  const checks = policyDoctorChecks(report, settingsOk);
  assert.deepEqual(
    checks.map((c) => [c.id, c.status]),
    [
      ['policy', 'ok'],
      ['policy-protection', 'ok'],
      ['settings', 'ok'],
    ],
  );
});

test('doctor: invalid policy fails with the errors; an unprotected file fails with the fix; missing settings fail when enforced', () => {
  const broken = combineSources(
    [
      sourceReport(
        'registry-json',
        '/r',
        { allowedOrgs: [], errors: [{ path: '/allowedOrgs', message: 'must be an array' }], warnings: [] },
        { protection: insecure },
      ),
    ],
    root,
    now,
  );
  const checks = policyDoctorChecks(broken, { status: 'absent', path: '/etc/bosun/settings.json', errors: [], root });
  const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
  assert.equal(byId.policy?.status, 'fail');
  assert.match(byId.policy?.detail ?? '', /\/r is invalid, so sign-in cannot be satisfied: \/allowedOrgs: must be an array/);
  assert.equal(byId['policy-protection']?.fix, 'run: chmod 644 /r');
  assert.equal(byId.settings?.status, 'info', 'no settings matters only when a policy is enforced');
  const enforced = combineSources(
    [sourceReport('registry-json', '/r', { allowedOrgs: ['a'], errors: [], warnings: [] })],
    { path: '/tmp/x', seam: 'active', note: 'dev' },
    now,
  );
  const c2 = policyDoctorChecks(enforced, { status: 'absent', path: '/s', errors: [], root });
  assert.equal(c2.find((c) => c.id === 'settings')?.status, 'fail');
  assert.equal(c2.find((c) => c.id === 'policy-root')?.status, 'warn');
});
