// build/mdm: the samples IT copies. Each must be exactly what `bosun policy generate` writes for its
// orgs (so the samples never drift from the generator), and the Windows templates must agree with
// the registry location the agent reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { parse as parsePlist } from 'plist';
import { packageRoot } from '../../../../src/common/packageRoot.js';
import { renderMobileconfig } from '../../../../src/core/workstationPolicy/mdm/mobileconfig.js';
import { renderRegFile } from '../../../../src/core/workstationPolicy/mdm/regFile.js';
import { renderRegistryJson } from '../../../../src/core/workstationPolicy/mdm/registryJson.js';

const mdm = join(packageRoot(), 'build/mdm');
const SAMPLE_ORGS = ['mycompany', 'mycompany-contractors'];
const GP_NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';

test("sample registry.json and .reg are the generator's output for the sample orgs", () => {
  assert.equal(readFileSync(join(mdm, 'registry.json'), 'utf8'), renderRegistryJson(SAMPLE_ORGS));
  assert.deepEqual(readFileSync(join(mdm, 'windows/docker-allowed-orgs.reg')), renderRegFile(SAMPLE_ORGS));
});

test("sample .mobileconfig is the generator's output (with the sample's UUIDs)", () => {
  const xml = readFileSync(join(mdm, 'docker-allowed-orgs.mobileconfig'), 'utf8');
  const profile = parsePlist(xml) as { PayloadUUID: string; PayloadOrganization: string; PayloadContent: { PayloadUUID: string }[] };
  const regenerated = renderMobileconfig(SAMPLE_ORGS, {
    profileUuid: profile.PayloadUUID,
    payloadUuid: profile.PayloadContent[0]!.PayloadUUID,
    organization: profile.PayloadOrganization,
  });
  assert.equal(xml, regenerated);
});

function parseXml(file: string) {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(readFileSync(file, 'utf8'), 'text/xml');
  assert.deepEqual(errors, [], `${file} is not well-formed XML`);
  return doc;
}
const byTag = (root: { getElementsByTagNameNS(ns: string, tag: string): ArrayLike<Element> }, tag: string) =>
  Array.from(root.getElementsByTagNameNS(GP_NS, tag));

test('ADMX writes allowedOrgs as REG_MULTI_SZ (multiText) under the Docker Desktop policy key, and the ADML defines every string it uses', () => {
  const admx = parseXml(join(mdm, 'windows/DockerDesktopAllowedOrgs.admx'));
  const adml = parseXml(join(mdm, 'windows/en-US/DockerDesktopAllowedOrgs.adml'));
  const policies = byTag(admx, 'policy');
  assert.equal(policies.length, 1);
  const policy = policies[0]!;
  assert.equal(policy.getAttribute('class'), 'Machine');
  assert.equal(policy.getAttribute('key'), 'SOFTWARE\\Policies\\Docker\\Docker Desktop');
  const multiText = byTag(policy as never, 'multiText');
  assert.equal(multiText.length, 1, 'multiText is the element that writes REG_MULTI_SZ');
  assert.equal(multiText[0]!.getAttribute('valueName'), 'allowedOrgs');

  const strings = new Set(byTag(adml, 'string').map((s) => s.getAttribute('id')));
  const presentations = new Map(byTag(adml, 'presentation').map((p) => [p.getAttribute('id'), p]));
  const admxText = readFileSync(join(mdm, 'windows/DockerDesktopAllowedOrgs.admx'), 'utf8');
  for (const [, id] of admxText.matchAll(/\$\(string\.([A-Za-z0-9_]+)\)/g)) assert.ok(strings.has(id!), `ADML lacks string ${id}`);
  for (const [, id] of admxText.matchAll(/\$\(presentation\.([A-Za-z0-9_]+)\)/g)) {
    const presentation = presentations.get(id!);
    assert.ok(presentation, `ADML lacks presentation ${id}`);
    const box = byTag(presentation as never, 'multiTextBox')[0];
    assert.equal(box?.getAttribute('refId'), multiText[0]!.getAttribute('id'), 'the text box edits the multiText element');
  }
});
