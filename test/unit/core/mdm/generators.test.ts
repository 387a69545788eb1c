// The MDM generators: each output is parsed back with an independent reader (the plist package for
// the profile, the .reg reader in test/helpers for the registry file, JSON for registry.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parsePlist } from 'plist';
import { prepareAllowedOrgs } from '../../../../src/core/workstationPolicy/mdm/allowedOrgsInput.js';
import { renderMobileconfig, DOCKER_PAYLOAD_TYPE, PROFILE_IDENTIFIER } from '../../../../src/core/workstationPolicy/mdm/mobileconfig.js';
import { POLICY_KEY, POLICY_VALUE, renderRegFile, renderRegText } from '../../../../src/core/workstationPolicy/mdm/regFile.js';
import { renderRegistryJson } from '../../../../src/core/workstationPolicy/mdm/registryJson.js';
import { parseRegFile } from '../../../helpers/regFile.js';

const ORGS = ['mycompany', 'mycompany-contractors', 'partner.io'];
const UUIDS = { profileUuid: '0e5bd8c6-3f0a-4d3c-9d55-1b1f0c2a7e01', payloadUuid: '6f1f2a44-8b8e-4c9a-a1c3-55d1b2e0c702' };

test('prepareAllowedOrgs normalizes like the agent: trim, lowercase, split on ";" and newlines, no duplicates', () => {
  assert.deepEqual(prepareAllowedOrgs([' MyCompany ', 'partner.io;mycompany', 'a\nb']), { ok: true, allowedOrgs: ['mycompany', 'partner.io', 'a', 'b'] });
});

test('prepareAllowedOrgs reports every bad name, and an empty list', () => {
  const r = prepareAllowedOrgs(['my company', 'good', 'acme/web', '-x']);
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.equal(r.errors.length, 3);
  assert.match(r.errors[0]!, /"my company" is not a valid organization name/);
  assert.match(r.errors[1]!, /"acme\/web"/);
  assert.match(r.errors[2]!, /"-x"/);
  const empty = prepareAllowedOrgs([' ; ']);
  assert.ok(!empty.ok);
  assert.match(empty.errors[0]!, /no organization given/);
});

test("registry.json is Docker Desktop's shape with the orgs in order", () => {
  const text = renderRegistryJson(ORGS);
  assert.deepEqual(JSON.parse(text), { allowedOrgs: ORGS });
  assert.ok(text.endsWith('}\n'));
  assert.ok(!text.startsWith('\ufeff'), 'no BOM');
});

test('mobileconfig parses as a plist with one com.docker.config payload whose allowedOrgs is one ";"-joined string', () => {
  const xml = renderMobileconfig(ORGS, { ...UUIDS, organization: 'My Company IT' });
  const profile = parsePlist(xml) as Record<string, unknown>;
  assert.equal(profile.PayloadType, 'Configuration');
  assert.equal(profile.PayloadIdentifier, PROFILE_IDENTIFIER);
  assert.equal(profile.PayloadUUID, UUIDS.profileUuid.toUpperCase());
  assert.equal(profile.PayloadScope, 'System');
  assert.equal(profile.PayloadOrganization, 'My Company IT');
  assert.equal(profile.PayloadVersion, 1);
  const content = profile.PayloadContent as Record<string, unknown>[];
  assert.equal(content.length, 1);
  const docker = content[0]!;
  assert.equal(docker.PayloadType, DOCKER_PAYLOAD_TYPE);
  assert.equal(docker.PayloadUUID, UUIDS.payloadUuid.toUpperCase());
  assert.notEqual(docker.PayloadUUID, profile.PayloadUUID);
  assert.equal(docker.allowedOrgs, 'mycompany;mycompany-contractors;partner.io');
  assert.ok(String(docker.PayloadIdentifier).startsWith(`${PROFILE_IDENTIFIER}.`), 'payload identifier nests under the profile');
});

test('mobileconfig refuses a UUID that is not one', () => {
  assert.throws(() => renderMobileconfig(ORGS, { ...UUIDS, payloadUuid: 'nope' }), /payloadUuid must be a UUID/);
});

test('.reg is UTF-16LE with a BOM and sets allowedOrgs as REG_MULTI_SZ (hex(7)) under the policy key', () => {
  const bytes = renderRegFile(ORGS);
  assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe]);
  const reg = parseRegFile(bytes);
  assert.deepEqual([...reg.keys.keys()], [POLICY_KEY]);
  assert.equal(POLICY_KEY, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Docker\\Docker Desktop');
  assert.deepEqual(reg.keys.get(POLICY_KEY)?.get(POLICY_VALUE), { type: 'REG_MULTI_SZ', strings: ORGS });
});

test('.reg wraps hex data like regedit: at most 80 columns, continued with ",\\" and two spaces', () => {
  const many = Array.from({ length: 12 }, (_, i) => `organization-number-${i}`);
  const lines = renderRegText(many).split('\r\n');
  const value = lines.filter((l) => l.startsWith('"allowedOrgs"=hex(7):') || l.startsWith('  '));
  assert.ok(value.length > 5);
  for (const l of value) assert.ok(l.length <= 80, `line too long (${l.length}): ${l}`);
  for (const l of value.slice(0, -1)) assert.ok(l.endsWith(',\\'), l);
  assert.ok(value.at(-1)!.endsWith('00,00,00,00'), "ends with the last string's NUL and the list terminator");
  assert.deepEqual(parseRegFile(renderRegFile(many)).keys.get(POLICY_KEY)?.get(POLICY_VALUE), { type: 'REG_MULTI_SZ', strings: many });
});
