import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageCategories, policyVerdict } from '../../../electron/orgPermissionsView.js';
import { policySourceViews } from '../../../electron/policySources.js';
import { statusView } from '../../../electron/statusView.js';
import type { PolicyReport } from '../../../src/core/workstationPolicy/policyReport.js';
import type { PolicyView } from '../../../src/core/agent/agentState.js';

const enforced = (...orgs: string[]): PolicyView => ({ state: 'enforced', allowedOrgs: orgs, errors: [], insecure: false });
const report = (over: Partial<PolicyReport>): PolicyReport => ({
  state: 'enforced',
  allowedOrgs: ['mycompany'],
  sources: [],
  conflicts: [],
  errors: [],
  warnings: [],
  root: { path: '/', seam: 'inactive' },
  readAt: '2030-01-01T00:00:00Z',
  ...over,
});

test('policy sources: the winner is "In force" with its protection; absent and invalid sources say so', () => {
  const views = policySourceViews(
    report({
      winner: { kind: 'registry-json', location: '/usr/share/docker-desktop/registry/registry.json' },
      sources: [
        {
          kind: 'registry-json',
          label: 'registry.json',
          location: '/usr/share/docker-desktop/registry/registry.json',
          status: 'valid',
          allowedOrgs: ['mycompany'],
          errors: [],
          warnings: [],
          protection: {
            secure: false,
            checked: [],
            problems: [{ path: '/usr/share', message: '/usr/share is writable by group staff', fix: 'chmod g-w /usr/share' }],
          },
        },
        {
          kind: 'macos-profile',
          label: 'macOS configuration profile (com.docker.config)',
          location: '/Library/Managed Preferences/com.docker.config.plist',
          status: 'absent',
          allowedOrgs: [],
          errors: [],
          warnings: [],
        },
        {
          kind: 'macos-desktop-plist',
          label: 'macOS desktop.plist',
          location: '/Library/x/desktop.plist',
          status: 'invalid',
          allowedOrgs: [],
          errors: [{ path: '/allowedOrgs', message: 'must be array' }],
          warnings: [],
        },
      ],
    }),
  );
  assert.equal(views[0]!.protected, false);
  assert.match(views[0]!.verdict, /^In force: allows mycompany; non-admin users can change it \(\/usr\/share is writable by group staff\)\.$/);
  assert.deepEqual([views[1]!.found, views[1]!.verdict], [false, 'Not present.']);
  assert.match(views[2]!.verdict, /^Cannot be used: \/allowedOrgs must be array\. Contact IT\.$/);
});

test('IAM off: every category allowed, with the reason; IAM on: community disabled, owners not restricted', () => {
  assert.ok(imageCategories('acme', { enabled: false, allowOfficialImages: false, allowVerifiedPublishers: false }).every((c) => c.allowed));
  const on = imageCategories('acme', { enabled: true, allowOfficialImages: false, allowVerifiedPublishers: true });
  assert.deepEqual(
    on.map((c) => c.allowed),
    [true, false, true, false],
  );
  assert.match(on[3]!.explanation, /Owners of acme are not restricted/);
});

test('policy verdicts: fail closed on an error, warn when the files are not admin-only', () => {
  assert.match(policyVerdict({ state: 'policy-error', allowedOrgs: [], errors: ['x'], insecure: false }), /fail closed/);
  assert.match(policyVerdict({ ...enforced('a', 'b'), insecure: true }), /Sign-in to a or b is required.*non-admin users/);
});

test('status view: the signed-out reason and what to do', () => {
  const v = statusView({ policy: enforced('mycompany'), state: { name: 'signed-out', allowedOrgs: ['mycompany'], reason: 'You signed out.' } });
  assert.equal(v.headline, 'Sign-in required by your organization');
  assert.equal(v.detail, 'You signed out. Sign in to mycompany to pull images.');
});
