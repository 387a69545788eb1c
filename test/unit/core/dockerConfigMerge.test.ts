import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyBosunEntries,
  BOSUN_HELPER,
  credHelperKeys,
  inspectBosunEntries,
  parseDockerConfig,
  removeBosunEntries,
  type DockerConfigDocument,
} from '../../../src/core/dockerConfig/dockerConfigMerge.js';
import { protectedRegistryFor } from '../../../src/core/dockerConfig/registryHost.js';

const host = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}(:[0-9]{2,5})?$/);
const otherHelper = fc.constantFrom('desktop', 'secretservice', 'pass', 'osxkeychain', 'gcloud', 'ecr-login');
const json = fc.jsonValue({ maxDepth: 2 });
const userConfig = fc
  .record(
    {
      auths: fc.dictionary(host, fc.record({ auth: fc.base64String() })),
      credsStore: otherHelper,
      credHelpers: fc.dictionary(host, otherHelper),
      currentContext: fc.string(),
      proxies: json,
      someFutureKey: json,
    },
    { requiredKeys: [] },
  )
  .map((c) => JSON.parse(JSON.stringify(c)) as DockerConfigDocument); // as read from a file

/** What the user owns: everything except credHelpers entries whose value is "bosun". */
function userPart(config: DockerConfigDocument): { rest: DockerConfigDocument; helpers: Record<string, unknown> } {
  const { credHelpers, ...rest } = config;
  const helpers = Object.fromEntries(Object.entries((credHelpers ?? {}) as Record<string, unknown>).filter(([, v]) => v !== BOSUN_HELPER));
  return { rest, helpers };
}

describe('Docker config merge', () => {
  it('property: apply keeps every user entry except helpers of the protected registries, and sets ours', () => {
    fc.assert(
      fc.property(userConfig, fc.uniqueArray(host, { maxLength: 4 }), (config, registries) => {
        const before = structuredClone(config);
        const { config: next } = applyBosunEntries(config, registries);
        assert.deepEqual(config, before, 'the input is not modified');
        const u0 = userPart(config);
        const u1 = userPart(next);
        // Static credentials for a protected registry, under any spelling, are the only user data removed.
        const protectedKey = (k: string) => protectedRegistryFor(k, registries) !== undefined;
        const expectedRest = structuredClone(u0.rest);
        if (expectedRest.auths) {
          const auths = expectedRest.auths as Record<string, unknown>;
          // The generator writes {auth}; an empty one ({auth: ""}) holds no credential and stays.
          for (const k of Object.keys(auths)) if (protectedKey(k) && (auths[k] as { auth: string }).auth !== '') delete auths[k];
        }
        assert.deepEqual(u1.rest, expectedRest);
        const keys = registries.flatMap(credHelperKeys);
        for (const [h, v] of Object.entries(u0.helpers)) if (!keys.includes(h) && !protectedKey(h)) assert.equal(u1.helpers[h], v);
        for (const [h] of Object.entries(u0.helpers))
          if (protectedKey(h)) assert.equal((next.credHelpers as Record<string, unknown>)[h], BOSUN_HELPER, `alias ${h} points at bosun`);
        for (const r of registries) assert.equal((next.credHelpers as Record<string, unknown>)[r], BOSUN_HELPER);
        assert.ok(inspectBosunEntries(next, registries).ok);
      }),
    );
  });

  it('property: undo after apply restores the user config for registries that had no helper of theirs', () => {
    fc.assert(
      fc.property(userConfig, fc.uniqueArray(host, { maxLength: 4 }), (config, registries) => {
        // Registries the file names nowhere, under no spelling (aliases in auths or credHelpers are changed for good).
        const named = [...Object.keys((config.credHelpers ?? {}) as object), ...Object.keys((config.auths ?? {}) as object)];
        const fresh = registries.filter((r) => !named.some((k) => protectedRegistryFor(k, [r]) !== undefined));
        const applied = applyBosunEntries(config, fresh).config;
        const undone = removeBosunEntries(applied).config;
        const expected = structuredClone(config);
        if (expected.credHelpers && Object.keys(expected.credHelpers).length === 0 && fresh.length) delete expected.credHelpers;
        assert.deepEqual(undone, expected);
      }),
    );
  });

  it('property: apply is idempotent and undo removes only "bosun" values', () => {
    fc.assert(
      fc.property(userConfig, fc.uniqueArray(host, { maxLength: 4 }), (config, registries) => {
        const once = applyBosunEntries(config, registries).config;
        assert.equal(applyBosunEntries(once, registries).changed, false);
        const undone = removeBosunEntries(once);
        assert.deepEqual(userPart(undone.config).rest, userPart(once).rest);
        assert.deepEqual(
          Object.values((undone.config.credHelpers ?? {}) as object).filter((v) => v === BOSUN_HELPER),
          [],
        );
      }),
    );
  });

  it('a registry no longer protected loses its bosun entry; another helper for it stays', () => {
    const config = { credsStore: 'desktop', credHelpers: { old: 'bosun', 'gcr.io': 'gcloud' } };
    assert.deepEqual(applyBosunEntries(config, ['new:5000']).config, { credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud', 'new:5000': 'bosun' } });
  });

  it('Docker Hub is written under the names the docker CLI and containers/image look up', () => {
    assert.deepEqual(applyBosunEntries({}, ['index.docker.io']).config, {
      credHelpers: { 'index.docker.io': 'bosun', 'https://index.docker.io/v1/': 'bosun', 'docker.io': 'bosun' },
    });
    assert.deepEqual(inspectBosunEntries({ credHelpers: { 'index.docker.io': 'bosun' } }, ['index.docker.io']).missing, [
      'https://index.docker.io/v1/',
      'docker.io',
    ]);
  });

  it('inspect names missing, changed and left-over entries', () => {
    const r = inspectBosunEntries({ credHelpers: { a: 'desktop', c: 'bosun' } }, ['a', 'b']);
    assert.deepEqual(r, { missing: ['b'], changed: [{ registry: 'a', helper: 'desktop' }], extra: ['c'], staticCredentials: [], ok: false });
  });

  it('static auths credentials for a protected registry under any spelling are removed; other registries’ stay', () => {
    const config = {
      credsStore: 'desktop',
      auths: {
        'localhost:5000': { auth: 'YWxpY2U6cHc=' },
        'https://127.0.0.1:5000/v2/': { auth: 'YWxpY2U6cHc=' },
        '[::1]:5000': { identitytoken: 'tok' },
        'localhost:5001': { auth: 'b3RoZXI=' },
        'gcr.io': { auth: 'Z2Nw' },
        'LOCALHOST:5000': {},
      },
      credHelpers: { '127.0.0.2:5000': 'desktop', 'gcr.io': 'gcloud' },
      someFutureKey: { kept: true },
    };
    const r = applyBosunEntries(config, ['127.0.0.1:5000']);
    assert.deepEqual(r.removedCredentials.sort(), ['[::1]:5000', 'https://127.0.0.1:5000/v2/', 'localhost:5000']);
    assert.deepEqual(r.config.auths, { 'localhost:5001': { auth: 'b3RoZXI=' }, 'gcr.io': { auth: 'Z2Nw' }, 'LOCALHOST:5000': {} });
    // Every spelling docker would look up for a pull points at Bosun; other helpers stay.
    assert.deepEqual(r.config.credHelpers, {
      '127.0.0.1:5000': 'bosun',
      '127.0.0.2:5000': 'bosun',
      'gcr.io': 'gcloud',
      'localhost:5000': 'bosun',
      '[::1]:5000': 'bosun',
      'LOCALHOST:5000': 'bosun',
    });
    assert.equal(r.config.credsStore, 'desktop');
    assert.deepEqual(r.config.someFutureKey, { kept: true });
    assert.ok(inspectBosunEntries(r.config, ['127.0.0.1:5000']).ok);
    assert.equal(applyBosunEntries(r.config, ['127.0.0.1:5000']).changed, false, 'stable once applied');
    // Once the registry is no longer protected, the alias entries go with it.
    assert.deepEqual(removeBosunEntries(r.config).config.credHelpers, { 'gcr.io': 'gcloud' });
  });

  it('static credentials in a file that is not Bosun’s to change are reported, not removed', () => {
    const config = { auths: { 'localhost:5000': { auth: 'YWxpY2U6cHc=' } } };
    const r = applyBosunEntries(config, ['127.0.0.1:5000'], { removeStaticCredentials: false });
    assert.deepEqual(r.keptCredentials, ['localhost:5000']);
    assert.deepEqual(r.removedCredentials, []);
    assert.deepEqual(r.config.auths, config.auths);
    assert.deepEqual(inspectBosunEntries(r.config, ['127.0.0.1:5000']).staticCredentials, ['localhost:5000']);
  });

  it('parse accepts empty and BOM, refuses non-objects and bad credHelpers', () => {
    assert.deepEqual(parseDockerConfig(undefined), { ok: true, config: {} });
    assert.deepEqual(parseDockerConfig('\uFEFF{"a":1}'), { ok: true, config: { a: 1 } });
    assert.equal(parseDockerConfig('{"a":').ok, false);
    assert.equal(parseDockerConfig('[1]').ok, false);
    assert.equal(parseDockerConfig('{"credHelpers":[]}').ok, false);
  });
});
