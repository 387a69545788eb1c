import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ScopeError,
  formatScope,
  formatScopeList,
  isCatalogScope,
  mergeScopes,
  parseScope,
  parseScopeList,
  requestedRepoActions,
  tryParseScope,
  type ResourceScope,
} from '../../../src/core/access/scope.js';

test('parses type:name:actions, with host:port inside the name', () => {
  assert.deepEqual(tryParseScope('repository:mycompany/api:pull'), { type: 'repository', name: 'mycompany/api', actions: ['pull'] });
  assert.deepEqual(tryParseScope('repository:127.0.0.1:5000/ns/img:pull,push'), {
    type: 'repository',
    name: '127.0.0.1:5000/ns/img',
    actions: ['pull', 'push'],
  });
  assert.deepEqual(tryParseScope('repository:localhost:5000/a:push,pull,push'), { type: 'repository', name: 'localhost:5000/a', actions: ['push', 'pull'] });
  assert.deepEqual(tryParseScope('registry:catalog:*'), { type: 'registry', name: 'catalog', actions: ['*'] });
  assert.deepEqual(tryParseScope('repository(plugin):ns/p:pull'), { type: 'repository', typeClass: 'plugin', name: 'ns/p', actions: ['pull'] });
  assert.deepEqual(tryParseScope('repository:Reg.Example.com/a:pull'), { type: 'repository', name: 'Reg.Example.com/a', actions: ['pull'] });
  assert.deepEqual(tryParseScope('repository:a/b:pull,,push,'), { type: 'repository', name: 'a/b', actions: ['pull', 'push'] });
  assert.equal(isCatalogScope(tryParseScope('registry:catalog:*') as ResourceScope), true);
  assert.equal(isCatalogScope(tryParseScope('repository:catalog:pull') as ResourceScope), false);
});

const BAD: Array<[string, RegExp]> = [
  ['', /empty/],
  ['repository', /type:name:actions/],
  ['repository:a/b', /type:name:actions/],
  ['repository::pull', /resource name ""/],
  ['repository:a/b:', /no action/],
  ['repository:a/b:,', /no action/],
  ['Repository:a/b:pull', /resource type/],
  [':a/b:pull', /resource type/],
  ['repository(:a/b:pull', /resource type/],
  ['repository:a/B:pull', /resource name/],
  ['repository:a//b:pull', /resource name/],
  ['repository:a/b/:pull', /resource name/],
  ['repository:a/b:PULL', /action "PULL"/],
  ['repository:a/b:pull;rm', /action/],
  ['repository:a/b:pu ll', /whitespace/],
  ['repository:host:port/a:pull', /resource name/],
  ['repository:' + 'a'.repeat(256) + ':pull', /resource name/],
  ['repository:a:' + 'p'.repeat(2000), /longer than 1024/],
  ['repository:a/b:pull\n', /whitespace/],
];

test('refuses malformed scopes with a typed error naming the input', () => {
  for (const [input, why] of BAD) {
    const r = parseScope(input);
    assert.equal(r.ok, false, `accepted ${JSON.stringify(input)}`);
    if (r.ok) continue;
    assert.ok(r.error instanceof ScopeError);
    assert.equal(r.error.input, input);
    assert.match(r.error.message, why, input);
    assert.equal(tryParseScope(input), undefined);
  }
});

test('parseScopeList takes repeated values and space-separated POST scopes, merging the same resource', () => {
  const { scopes, errors } = parseScopeList(['repository:a/b:pull repository:c/d:push', 'repository:a/b:push', 'nonsense', 'registry:catalog:*']);
  assert.deepEqual(scopes.map(formatScope), ['repository:a/b:pull,push', 'repository:c/d:push', 'registry:catalog:*']);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.input, 'nonsense');
  assert.deepEqual(parseScopeList(undefined), { scopes: [], errors: [] });
  assert.deepEqual(parseScopeList('  repository:a/b:pull  ').scopes.length, 1);
  assert.equal(formatScopeList(scopes), 'repository:a/b:pull,push repository:c/d:push registry:catalog:*');
});

test('mergeScopes keeps distinct classes apart', () => {
  const a = tryParseScope('repository:a/b:pull') as ResourceScope;
  const b = tryParseScope('repository(plugin):a/b:push') as ResourceScope;
  assert.equal(mergeScopes([a, b]).length, 2);
});

test('requestedRepoActions separates known registry actions from unknown ones', () => {
  assert.deepEqual(requestedRepoActions(tryParseScope('repository:a/b:push,*,pull,frob') as ResourceScope), {
    actions: ['pull', 'push'],
    unknown: ['*', 'frob'],
  });
});

const component = fc.stringMatching(/^[a-z0-9]{1,5}(?:(?:[._]|__|-{1,2})[a-z0-9]{1,5}){0,2}$/);
const hostname = fc
  .tuple(fc.constantFrom('localhost', '127.0.0.1', 'reg.example.com', 'Reg'), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
  .map(([h, p]) => (p === undefined ? h : `${h}:${p}`));
const scopeArb: fc.Arbitrary<ResourceScope> = fc
  .record({
    type: fc.stringMatching(/^[a-z0-9]{1,10}$/),
    typeClass: fc.option(fc.stringMatching(/^[a-z0-9]{1,6}$/), { nil: undefined }),
    name: fc
      .tuple(fc.option(hostname, { nil: undefined }), fc.array(component, { minLength: 1, maxLength: 3 }))
      .map(([h, parts]) => `${h ? `${h}/` : ''}${parts.join('/')}`),
    actions: fc.uniqueArray(fc.oneof(fc.constantFrom('pull', 'push', 'delete', '*'), fc.stringMatching(/^[a-z]{1,6}$/)), { minLength: 1, maxLength: 4 }),
  })
  .map((s) =>
    s.typeClass === undefined
      ? { type: s.type, name: s.name, actions: [...s.actions] }
      : { type: s.type, typeClass: s.typeClass, name: s.name, actions: [...s.actions] },
  );

test('property: format then parse round-trips', () => {
  fc.assert(
    fc.property(scopeArb, (s) => {
      if (s.name.length > 255) return true;
      assert.deepEqual(tryParseScope(formatScope(s)), s);
      assert.deepEqual(parseScopeList(formatScopeList([s, s])).scopes, [s]);
    }),
    { numRuns: 2000 },
  );
});

test('property: parsing arbitrary strings never throws, and never yields an action that was not in the input', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.string({ maxLength: 60 }),
        fc.tuple(scopeArb.map(formatScope), fc.string({ maxLength: 3 })).map(([s, tail]) => s + tail),
      ),
      (input) => {
        const r = parseScope(input);
        const list = parseScopeList([input, input]);
        if (r.ok) {
          const actionText = input.slice(input.lastIndexOf(':') + 1).split(',');
          for (const a of r.scope.actions) assert.ok(actionText.includes(a), `${a} not asked in ${input}`);
          assert.equal(formatScope(r.scope).length <= input.length, true);
          assert.ok(requestedRepoActions(r.scope).actions.every((a) => actionText.includes(a)));
        } else {
          assert.ok(r.error instanceof ScopeError);
        }
        for (const s of list.scopes) for (const a of s.actions) assert.ok(input.includes(a));
      },
    ),
    { numRuns: 5000 },
  );
});
