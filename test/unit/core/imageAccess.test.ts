import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageAccessSettings, ImageCategory } from '../../../src/core/access/accessFacts.js';
import { categoryLabel, classifyRepository, repositoryNamespace } from '../../../src/core/access/imageCategory.js';
import { allowedImagesPhrase, decideImageAccess, decideImageAccessAcrossOrgs, isAllowlisted } from '../../../src/core/access/imageAccess.js';

const on = (allowOfficial: boolean, allowVerifiedPublishers: boolean, allowlist: string[] = []): ImageAccessSettings => ({
  enabled: true,
  allowOfficial,
  allowVerifiedPublishers,
  allowlist,
});
const OFF: ImageAccessSettings = { enabled: false, allowOfficial: false, allowVerifiedPublishers: false, allowlist: [] };

test('classifyRepository: official > organization > verified > community, by namespace only', () => {
  const ctx = { organizations: ['mycompany', 'bitnami', 'library'], verifiedPublishers: ['Bitnami', 'grafana'] };
  const table: Array<[string, ImageCategory]> = [
    ['mycompany/api', 'organization'],
    ['mycompany/a/b', 'organization'],
    ['bitnami/redis', 'organization'], // an org's own images are its own, even if also a Verified Publisher
    ['library/alpine', 'official'], // Official whoever owns an org named library
    ['grafana/grafana', 'verified'],
    ['somebody/tool', 'community'],
    ['alpine', 'community'], // a bare name is its own namespace, not library
    ['mycompanyx/api', 'community'],
  ];
  for (const [repo, cat] of table) assert.equal(classifyRepository(repo, ctx), cat, repo);
  assert.equal(repositoryNamespace('a/b/c'), 'a');
  assert.equal(categoryLabel('community'), 'a Community image');
});

test('allowedImagesPhrase tailors the list to the settings', () => {
  assert.equal(allowedImagesPhrase(on(false, false)), 'organization images');
  assert.equal(allowedImagesPhrase(on(true, false)), 'organization images and Docker Official Images');
  assert.equal(allowedImagesPhrase(on(false, true)), 'organization images and Verified Publisher images');
  assert.equal(allowedImagesPhrase(on(true, true)), 'organization images, Docker Official Images and Verified Publisher images');
});

test('one org: every category against every setting', () => {
  const cats: ImageCategory[] = ['organization', 'official', 'verified', 'community'];
  for (const category of cats)
    for (const official of [false, true])
      for (const verified of [false, true])
        for (const owner of [false, true]) {
          const v = decideImageAccess({ repository: 'x/y', category, org: 'o', settings: on(official, verified), isOwner: owner });
          const expected = owner || category === 'organization' || (category === 'official' && official) || (category === 'verified' && verified);
          assert.equal(v.allowed, expected, JSON.stringify({ category, official, verified, owner }));
          assert.equal(v.org, 'o');
          if (!v.allowed) assert.match(v.reason, /^x\/y is a .*; Image Access Management in org o allows only .*\. Ask an owner of o to allow-list it/);
          assert.equal(decideImageAccess({ repository: 'x/y', category, org: 'o', settings: OFF, isOwner: owner }).allowed, true);
        }
  const listed = decideImageAccess({ repository: 'x/y', category: 'community', org: 'o', settings: on(false, false, [' X/Y ']), isOwner: false });
  assert.equal(listed.rule, 'iam.allowlisted');
  assert.equal(isAllowlisted('x/y', ['x/yz']), false);
});

test('strictest combination: every org must allow; owner bypass and allowlists are per org', () => {
  const vp = ['bitnami'];
  const both = (a: ImageAccessSettings, b: ImageAccessSettings, ownerA = false, ownerB = false) => [
    { org: 'alpha', settings: a, isOwner: ownerA },
    { org: 'beta', settings: b, isOwner: ownerB },
  ];
  const decide = (repository: string, orgs: ReturnType<typeof both>) => decideImageAccessAcrossOrgs({ repository, orgs, verifiedPublishers: vp });

  assert.equal(decide('library/alpine', both(on(true, false), OFF)).allowed, true);
  const d = decide('library/alpine', both(on(true, false), on(false, true)));
  assert.equal(d.allowed, false);
  assert.equal(d.org, 'beta');
  assert.equal(d.rule, 'iam.official-restricted');
  // An image is an Organization image only for the org that owns its namespace: to alpha, beta's
  // images are Community images, so a member of alpha cannot launder an image through beta.
  const laundered = decide('beta/app', both(on(false, false), on(false, false)));
  assert.equal(laundered.allowed, false);
  assert.equal(laundered.org, 'alpha');
  assert.equal(laundered.rule, 'iam.community-disabled');
  assert.match(laundered.reason, /images of another organization, beta included, are Community images/);
  assert.equal(decide('beta/app', both(on(false, false, ['beta/app']), on(false, false))).allowed, true);
  assert.equal(decide('beta/app', both(OFF, on(false, false))).allowed, true);
  // Owning alpha exempts from alpha only.
  assert.equal(decide('library/alpine', both(on(false, false), on(true, false), true)).allowed, true);
  assert.equal(decide('library/alpine', both(on(true, false), on(false, false), true)).allowed, false);
  assert.equal(decide('library/alpine', both(on(false, false), on(false, false), true, true)).allowed, true);
  // Alpha's allowlist does not exempt from beta's rules.
  assert.equal(decide('some/tool', both(on(false, false, ['some/tool']), on(false, false))).allowed, false);
  assert.equal(decide('some/tool', both(on(false, false, ['some/tool']), on(false, false, ['some/tool']))).allowed, true);
  // The first refusing org by name is named.
  assert.equal(decide('some/tool', both(on(false, false), on(false, false))).org, 'alpha');
  // No org, nothing restricts.
  assert.equal(decideImageAccessAcrossOrgs({ repository: 'some/tool', orgs: [], verifiedPublishers: vp }).rule, 'iam.no-org');
});
