// What an administrator and a developer are told about anonymous pulls and Image Access Management.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymousPullBypassWarning } from '../../../src/core/access/anonymousImageAccess.js';
import { anonymousPullDoctorCheck } from '../../../src/core/doctor/serverSettingsChecks.js';

test('apply warns only for anonymous pulls on + ignore + some org with IAM on', () => {
  const on = { anonymousPull: true, anonymousPullImageAccess: 'ignore' as const };
  assert.equal(
    anonymousPullBypassWarning(on, ['acme', 'beta']),
    'anonymousPullImageAccess is "ignore" while anonymousPull is on and Image Access Management is on in acme, beta: ' +
      'members of acme, beta can pull any public image their org refuses by signing out. Set anonymousPullImageAccess: strictest (the default), or anonymousPull: false.',
  );
  assert.equal(anonymousPullBypassWarning(on, []), undefined);
  assert.equal(anonymousPullBypassWarning({ ...on, anonymousPull: false }, ['acme']), undefined);
  assert.equal(anonymousPullBypassWarning({ ...on, anonymousPullImageAccess: 'strictest' }, ['acme']), undefined);
});

test('doctor: warns when the server lets anonymous pulls skip IAM; ok otherwise; says so for an older server', () => {
  const server = 'https://bosun.example';
  assert.equal(anonymousPullDoctorCheck(server, { anonymous_pull: true, anonymous_pull_image_access: 'ignore' }).status, 'warn');
  assert.equal(anonymousPullDoctorCheck(server, { anonymous_pull: true, anonymous_pull_image_access: 'unexpected' }).status, 'warn');
  assert.equal(anonymousPullDoctorCheck(server, { anonymous_pull: true, anonymous_pull_image_access: 'strictest' }).status, 'ok');
  assert.equal(anonymousPullDoctorCheck(server, { anonymous_pull: false }).status, 'ok');
  assert.equal(anonymousPullDoctorCheck(server, {}).status, 'info');
});
