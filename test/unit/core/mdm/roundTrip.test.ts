// Generated policy files read back by the agent's own pure parsers (src/core/workstationPolicy): what
// `bosun policy generate` and the installers write is exactly what a workstation enforces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parsePlist } from 'plist';
import { packageRoot } from '../../../../src/common/packageRoot.js';
import { evaluateAdminSettings } from '../../../../src/core/workstationPolicy/adminSettingsRules.js';
import { renderMobileconfig } from '../../../../src/core/workstationPolicy/mdm/mobileconfig.js';
import { POLICY_KEY, POLICY_VALUE, renderRegFile } from '../../../../src/core/workstationPolicy/mdm/regFile.js';
import { renderRegistryJson } from '../../../../src/core/workstationPolicy/mdm/registryJson.js';
import { parseManagedPreferences, parseRegQueryAllowedOrgs } from '../../../../src/core/workstationPolicy/nativeSources.js';
import { evaluateRegistryJson } from '../../../../src/core/workstationPolicy/policyDocument.js';
import { makeSandbox } from '../../../helpers/sandbox.js';
import { parseRegFile, regQueryOutput } from '../../../helpers/regFile.js';

const UUIDS = { profileUuid: '0E5BD8C6-3F0A-4D3C-9D55-1B1F0C2A7E01', payloadUuid: '6F1F2A44-8B8E-4C9A-A1C3-55D1B2E0C702' };

/** Valid org names: namespace components (distribution's path-component grammar). */
const orgName = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{1,8}$/),
    fc.array(fc.tuple(fc.constantFrom('.', '_', '__', '-', '--'), fc.stringMatching(/^[a-z0-9]{1,6}$/)), { maxLength: 3 }),
  )
  .map(([head, rest]) => head + rest.map(([sep, part]) => sep + part).join(''));
const orgLists = fc.uniqueArray(orgName, { minLength: 1, maxLength: 8 });

/** What the agent reads from the profile: managed preferences hold the payload's own keys. */
function managedPreferencesJson(mobileconfig: string): string {
  const profile = parsePlist(mobileconfig) as { PayloadContent: Record<string, unknown>[] };
  const payload = profile.PayloadContent.find((p) => p.PayloadType === 'com.docker.config');
  assert.ok(payload, 'profile has a com.docker.config payload');
  return JSON.stringify(Object.fromEntries(Object.entries(payload).filter(([k]) => !k.startsWith('Payload'))));
}

test('registry.json → evaluateRegistryJson: same orgs, no errors, no warnings', () => {
  fc.assert(
    fc.property(orgLists, (orgs) => {
      const findings = evaluateRegistryJson(Buffer.from(renderRegistryJson(orgs)));
      assert.deepEqual(findings, { allowedOrgs: orgs, errors: [], warnings: [] });
    }),
  );
});

test('.reg → reg query output → parseRegQueryAllowedOrgs: REG_MULTI_SZ, same orgs, no warnings', () => {
  fc.assert(
    fc.property(orgLists, (orgs) => {
      const value = parseRegFile(renderRegFile(orgs)).keys.get(POLICY_KEY)?.get(POLICY_VALUE);
      assert.ok(value);
      const result = parseRegQueryAllowedOrgs({ stdout: regQueryOutput(POLICY_KEY, POLICY_VALUE, value), stderr: '', exitCode: 0 });
      assert.deepEqual(result, { present: true, findings: { allowedOrgs: orgs, errors: [], warnings: [] } });
    }),
  );
});

test('.mobileconfig → managed preferences → parseManagedPreferences: one ";" string, same orgs, no warnings', () => {
  fc.assert(
    fc.property(orgLists, (orgs) => {
      const json = managedPreferencesJson(renderMobileconfig(orgs, UUIDS));
      const result = parseManagedPreferences({ stdout: json, stderr: '', exitCode: 0 }, '/Library/Managed Preferences/com.docker.config.plist');
      assert.deepEqual(result, { present: true, findings: { allowedOrgs: orgs, errors: [], warnings: [] } });
    }),
  );
});

test(
  "the installers' registry.json (write-registry-json.sh) loads cleanly",
  { skip: process.getuid?.() === 0 ? false : 'the script chowns to root; run as root, as installers do' },
  (t) => {
    const box = makeSandbox();
    t.after(() => box.cleanup());
    const file = join(box.dir, 'registry.json');
    const r = spawnSync(join(packageRoot(), 'build/macos/pkg-scripts/write-registry-json.sh'), ['MyCompany;partner.io,my_team', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(evaluateRegistryJson(readFileSync(file)), { allowedOrgs: ['mycompany', 'partner.io', 'my_team'], errors: [], warnings: [] });
  },
);

test('the sample files in build/mdm load without errors or warnings', () => {
  const mdm = join(packageRoot(), 'build/mdm');
  assert.deepEqual(evaluateRegistryJson(readFileSync(join(mdm, 'registry.json'))).errors, []);
  const settings = evaluateAdminSettings(readFileSync(join(mdm, 'settings.json')));
  assert.deepEqual(settings.errors, []);
  assert.deepEqual(settings.warnings, []);
  assert.equal(settings.settings?.server, 'https://bosun.example.com');
});
