import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyBosunEntries, BOSUN_HELPER, credHelperKeys, inspectBosunEntries, parseDockerConfig, removeBosunEntries, type DockerConfigDocument,
} from '../../../src/policy/dockerConfigMerge.js';

const host = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}(:[0-9]{2,5})?$/);
const otherHelper = fc.constantFrom('desktop', 'secretservice', 'pass', 'osxkeychain', 'gcloud', 'ecr-login');
const json = fc.jsonValue({ maxDepth: 2 });
const userConfig = fc.record(
  {
    auths: fc.dictionary(host, fc.record({ auth: fc.base64String() })),
    credsStore: otherHelper,
    credHelpers: fc.dictionary(host, otherHelper),
    currentContext: fc.string(),
    proxies: json,
    someFutureKey: json,
  },
  { requiredKeys: [] },
).map((c) => JSON.parse(JSON.stringify(c)) as DockerConfigDocument); // as read from a file

/** What the user owns: everything except credHelpers entries whose value is "bosun". */
function userPart(config: DockerConfigDocument): { rest: DockerConfigDocument; helpers: Record<string, unknown> } {
  const { credHelpers, ...rest } = config;
  const helpers = Object.fromEntries(Object.entries((credHelpers ?? {}) as Record<string, unknown>).filter(([, v]) => v !== BOSUN_HELPER));
  return { rest, helpers };
}

describe('Docker config merge', () => {
  it('property: apply keeps every user entry except helpers of the protected registries, and sets ours', () => {
    fc.assert(fc.property(userConfig, fc.uniqueArray(host, { maxLength: 4 }), (config, registries) => {
      const before = structuredClone(config);
      const { config: next } = applyBosunEntries(config, registries);
      assert.deepEqual(config, before, 'the input is not modified');
      const u0 = userPart(config);
      const u1 = userPart(next);
      assert.deepEqual(u1.rest, u0.rest);
      const keys = registries.flatMap(credHelperKeys);
      for (const [h, v] of Object.entries(u0.helpers)) if (!keys.includes(h)) assert.equal(u1.helpers[h], v);
      for (const r of registries) assert.equal((next.credHelpers as Record<string, unknown>)[r], BOSUN_HELPER);
      assert.ok(inspectBosunEntries(next, registries).ok);
    }));
  });

  it('property: undo after apply restores the user config for registries that had no helper of theirs', () => {
    fc.assert(fc.property(userConfig, fc.uniqueArray(host, { maxLength: 4 }), (config, registries) => {
      const fresh = registries.filter((r) => !(r in ((config.credHelpers ?? {}) as object)));
      const applied = applyBosunEntries(config, fresh).config;
      const undone = removeBosunEntries(applied).config;
      const expected = structuredClone(config);
      if (expected.credHelpers && Object.keys(expected.credHelpers).length === 0 && fresh.length) delete expected.credHelpers;
      assert.deepEqual(undone, expected);
    }));
  });

  it('property: apply is idempotent and undo removes only "bosun" values', () => {
    fc.assert(fc.property(userConfig, fc.uniqueArray(host, { maxLength: 4 }), (config, registries) => {
      const once = applyBosunEntries(config, registries).config;
      assert.equal(applyBosunEntries(once, registries).changed, false);
      const undone = removeBosunEntries(once);
      assert.deepEqual(userPart(undone.config).rest, userPart(once).rest);
      assert.deepEqual(Object.values((undone.config.credHelpers ?? {}) as object).filter((v) => v === BOSUN_HELPER), []);
    }));
  });

  it('a registry no longer protected loses its bosun entry; another helper for it stays', () => {
    const config = { credsStore: 'desktop', credHelpers: { old: 'bosun', 'gcr.io': 'gcloud' } };
    assert.deepEqual(applyBosunEntries(config, ['new:5000']).config, { credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud', 'new:5000': 'bosun' } });
  });

  it('Docker Hub is written under the names the docker CLI and containers/image look up', () => {
    assert.deepEqual(applyBosunEntries({}, ['index.docker.io']).config, {
      credHelpers: { 'index.docker.io': 'bosun', 'https://index.docker.io/v1/': 'bosun', 'docker.io': 'bosun' },
    });
    assert.deepEqual(inspectBosunEntries({ credHelpers: { 'index.docker.io': 'bosun' } }, ['index.docker.io']).missing, ['https://index.docker.io/v1/', 'docker.io']);
  });

  it('inspect names missing, changed and left-over entries', () => {
    const r = inspectBosunEntries({ credHelpers: { a: 'desktop', c: 'bosun' } }, ['a', 'b']);
    assert.deepEqual(r, { missing: ['b'], changed: [{ registry: 'a', helper: 'desktop' }], extra: ['c'], ok: false });
  });

  it('parse accepts empty and BOM, refuses non-objects and bad credHelpers', () => {
    assert.deepEqual(parseDockerConfig(undefined), { ok: true, config: {} });
    assert.deepEqual(parseDockerConfig('\uFEFF{"a":1}'), { ok: true, config: { a: 1 } });
    assert.equal(parseDockerConfig('{"a":').ok, false);
    assert.equal(parseDockerConfig('[1]').ok, false);
    assert.equal(parseDockerConfig('{"credHelpers":[]}').ok, false);
  });
});
