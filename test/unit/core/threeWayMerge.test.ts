import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mergeThreeWay } from '../../../src/core/dockerConfig/threeWayMerge.js';

const base = {
  auths: { 'a.example': { auth: 'YQ==' }, 'b.example': { auth: 'Yg==' } },
  credsStore: 'desktop',
  credHelpers: { 'gcr.io': 'gcloud' },
};

describe('mergeThreeWay', () => {
  it("keeps both sides' changes to different keys, at any depth", () => {
    const ours = { ...base, credHelpers: { 'gcr.io': 'gcloud', 'reg.mycompany.test': 'bosun' } };
    const theirs = { ...base, auths: { ...base.auths, 'c.example': { auth: 'Yw==' } }, currentContext: 'remote' };
    assert.deepEqual(mergeThreeWay(base, ours, theirs), {
      auths: { 'a.example': { auth: 'YQ==' }, 'b.example': { auth: 'Yg==' }, 'c.example': { auth: 'Yw==' } },
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud', 'reg.mycompany.test': 'bosun' },
      currentContext: 'remote',
    });
  });

  it('a key deleted by one side (docker logout) stays deleted when the other side left it alone', () => {
    const ours = { ...base, credHelpers: { 'gcr.io': 'gcloud', 'reg.mycompany.test': 'bosun' } };
    const theirs = { ...base, auths: { 'b.example': { auth: 'Yg==' } } };
    const merged = mergeThreeWay(base, ours, theirs) as { auths: object; credHelpers: Record<string, string> };
    assert.deepEqual(Object.keys(merged.auths), ['b.example']);
    assert.equal(merged.credHelpers['reg.mycompany.test'], 'bosun');
    const oursDeleted = { ...base, credsStore: undefined };
    delete oursDeleted.credsStore;
    assert.equal('credsStore' in (mergeThreeWay(base, oursDeleted, base) as object), false);
  });

  it("when both sides change the same value, the other program's value wins", () => {
    assert.deepEqual(mergeThreeWay(base, { ...base, credsStore: 'pass' }, { ...base, credsStore: 'secretservice' }), { ...base, credsStore: 'secretservice' });
    // Arrays and scalars are single values: not merged element by element.
    assert.deepEqual(mergeThreeWay({ x: [1, 2] }, { x: [1, 2, 3] }, { x: [0] }), { x: [0] });
  });

  it('a `__proto__` key is data, kept as an own key, and never changes the prototype', () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}, "auths": {}}') as Record<string, unknown>;
    const merged = mergeThreeWay({}, { auths: {} }, evil) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(merged, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(JSON.stringify(merged), '{"auths":{},"__proto__":{"polluted":true}}');
  });

  it('properties: unchanged sides give the other side; disjoint top-level changes are both kept', () => {
    const doc = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(doc, doc, (b, o) => {
        assert.deepEqual(mergeThreeWay(b, o, b), o);
        assert.deepEqual(mergeThreeWay(b, b, o), o);
        assert.deepEqual(mergeThreeWay(b, o, o), o);
      }),
    );
    fc.assert(
      fc.property(doc, fc.jsonValue(), fc.jsonValue(), (b, x, y) => {
        const ours = { ...b, 'bosun-only': x };
        const theirs = { ...b, 'docker-only': y };
        const merged = mergeThreeWay(b, ours, theirs) as Record<string, unknown>;
        assert.deepEqual(merged['bosun-only'], x);
        assert.deepEqual(merged['docker-only'], y);
      }),
    );
  });
});
