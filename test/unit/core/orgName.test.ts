import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeOrgList, validateOrgName } from '../../../src/core/names/orgName.js';

const segment = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const separator = fc.constantFrom('.', '_', '__', '-', '--', '---');
/** Names valid under the distribution path-component grammar, built from the grammar itself. */
const validName = fc
  .tuple(segment, fc.array(fc.tuple(separator, segment), { maxLength: 3 }))
  .map(([first, rest]) => first + rest.map(([s, p]) => s + p).join(''));

test('validateOrgName accepts the grammar: letters, digits and . _ __ or runs of -', () => {
  for (const name of ['myorg', 'my-org', 'my--org', 'my.org', 'my_org', 'my__org', 'a', '0', 'team-2024.eu_west']) {
    assert.deepEqual(validateOrgName(name), { valid: true, name });
  }
  fc.assert(fc.property(validName, (name) => validateOrgName(name).valid));
});

test('validateOrgName names the entry and says what to do', () => {
  const cases: [string, RegExp][] = [
    ['MyOrg', /uppercase letters; write it as "myorg"/],
    ['my org', /contains a space/],
    ['docker.io/myorg', /contains "\/"; give only the organization/],
    ['myorg:5000', /contains ":"/],
    ['-myorg', /must start and end with a lowercase letter or digit/],
    ['myorg.', /must start and end/],
    ['my._org', /separators must sit between letters or digits/],
    ['my___org', /separators must sit between/],
    ['my!org', /the character "!" is not allowed/],
    ['', /it is empty/],
    ['a'.repeat(256), /256 characters long; the limit is 255/],
    ['mуorg', /"у" \(U\+0443, a Cyrillic character\) that looks like the ASCII letter "y"/],
    ['οrg', /U\+03BF, a Greek character\) that looks like the ASCII letter "o"/],
    ['ｍyorg', /U\+FF4D.*looks like the ASCII letter "m"/],
    ['my\u200borg', /invisible formatting character \(U\+200B\)/],
    ['my\u00a0org', /non-standard space \(U\+00A0\)/],
    ['myorgé', /"é" \(U\+00E9\), which is not allowed/],
  ];
  for (const [name, reason] of cases) {
    const r = validateOrgName(name);
    assert.equal(r.valid, false, name);
    if (!r.valid) {
      assert.match(r.reason, reason, name);
      if (name.length < 50) assert.ok(r.reason.includes(`"${name}"`), `the reason names the entry: ${r.reason}`);
    }
  }
});

test('normalization: trim, lowercase, split on ; and newlines, drop empties and duplicates', () => {
  assert.deepEqual(normalizeOrgList([' MyOrg ;other\n\r\nthird;;', 'OTHER', '', ' ']), { allowedOrgs: ['myorg', 'other', 'third'], errors: [] });
});

test('normalization keeps a Kelvin sign or dotted capital I visible instead of lowercasing it into ASCII', () => {
  // "\u212a" (KELVIN SIGN) lowercases to ASCII "k" with toLowerCase(); it must stay an error.
  const r = normalizeOrgList(['\u212aorg', '\u0130org']);
  assert.deepEqual(r.allowedOrgs, []);
  assert.equal(r.errors.length, 2);
  assert.match(r.errors[0]?.message ?? '', /U\+212A/);
});

// Decorates a valid name the ways admins' files do: case, surrounding spaces, separators, repeats.
const decorated = fc.array(fc.tuple(validName, fc.boolean(), fc.constantFrom('', ' ', '\t', '  ')), { minLength: 1, maxLength: 6 });
const joiner = fc.constantFrom(';', '\n', '\r\n', ' ; ', ';\n');

test('property: every decorated list normalizes to exactly its distinct lowercase names', () => {
  fc.assert(
    fc.property(decorated, joiner, fc.integer({ min: 1, max: 3 }), (parts, sep, entries) => {
      const words = parts.map(([n, upper, pad]) => pad + (upper ? n.toUpperCase() : n) + pad);
      // Spread the words over 1..3 raw entries, as registry.json arrays or one profile string would.
      const raw: string[] = Array.from({ length: entries }, () => '');
      words.forEach((w, i) => (raw[i % entries] = raw[i % entries] ? raw[i % entries] + sep + w : w));
      const expectedSet = new Set(parts.map(([n]) => n));
      const r = normalizeOrgList(raw);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(new Set(r.allowedOrgs), expectedSet);
      assert.equal(r.allowedOrgs.length, expectedSet.size, 'no duplicates');
    }),
  );
});

test('property: normalization is idempotent and its output is always valid', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'B', '1', '-', '.', '_', ';', '\n', ' ', 'у', '/') }), { maxLength: 8 }), (raw) => {
      const once = normalizeOrgList(raw);
      for (const n of once.allowedOrgs) assert.ok(validateOrgName(n).valid, n);
      const twice = normalizeOrgList(once.allowedOrgs);
      assert.deepEqual(twice, { allowedOrgs: once.allowedOrgs, errors: [] });
    }),
  );
});

test('property: an entry is rejected exactly when its normalized form breaks the grammar', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', 'z', '0', '-', '.', '_', 'A', ' ', '!', 'е'), maxLength: 10 }), (s) => {
      const r = normalizeOrgList([s]);
      const norm = s.trim().replace(/[A-Z]+/g, (x) => x.toLowerCase());
      const grammar = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(norm);
      if (norm === '') assert.deepEqual(r, { allowedOrgs: [], errors: [] });
      else if (grammar) assert.deepEqual(r.allowedOrgs, [norm]);
      else assert.equal(r.errors.length, 1);
    }),
  );
});
