import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ImageReferenceError,
  familiarName,
  familiarString,
  isRepositoryPath,
  normalizeImageReference,
  parseImageReference,
  tryParseImageReference,
} from '../../../src/core/access/imageReference.js';

const SHA256 = 'sha256:' + '0123456789abcdef'.repeat(4);
const SHA512 = 'sha512:' + 'ab'.repeat(64);

// [input, normalized, familiar name]
const NORMALIZED: Array<[string, string, string]> = [
  ['alpine', 'docker.io/library/alpine:latest', 'alpine'],
  ['alpine:3.20', 'docker.io/library/alpine:3.20', 'alpine'],
  ['library/alpine', 'docker.io/library/alpine:latest', 'alpine'],
  ['docker.io/alpine', 'docker.io/library/alpine:latest', 'alpine'],
  ['index.docker.io/alpine', 'docker.io/library/alpine:latest', 'alpine'],
  ['index.docker.io/user/img', 'docker.io/user/img:latest', 'user/img'],
  ['user/img', 'docker.io/user/img:latest', 'user/img'],
  ['user/img:v1.2_rc-3', 'docker.io/user/img:v1.2_rc-3', 'user/img'],
  ['library/a/b', 'docker.io/library/a/b:latest', 'library/a/b'],
  ['host:5000/ns/img:tag', 'host:5000/ns/img:tag', 'host:5000/ns/img'],
  ['127.0.0.1:5000/ns/img', '127.0.0.1:5000/ns/img:latest', '127.0.0.1:5000/ns/img'],
  ['registry.example.com/img', 'registry.example.com/img:latest', 'registry.example.com/img'],
  ['localhost/img', 'localhost/img:latest', 'localhost/img'],
  ['localhost:5000/img', 'localhost:5000/img:latest', 'localhost:5000/img'],
  // "localhost:5000" alone is an image named localhost with tag 5000, as docker reads it.
  ['localhost:5000', 'docker.io/library/localhost:5000', 'localhost'],
  // A first component with uppercase is a host (domain components allow it; paths do not).
  ['Registry/img', 'Registry/img:latest', 'Registry/img'],
  ['[::1]:5000/img', '[::1]:5000/img:latest', '[::1]:5000/img'],
  [`alpine@${SHA256}`, `docker.io/library/alpine@${SHA256}`, 'alpine'],
  [`alpine:3@${SHA256}`, `docker.io/library/alpine:3@${SHA256}`, 'alpine'],
  [`host:5000/a/b@${SHA512}`, `host:5000/a/b@${SHA512}`, 'host:5000/a/b'],
  ['a__b/c-d/e--f.g', 'docker.io/a__b/c-d/e--f.g:latest', 'a__b/c-d/e--f.g'],
  // A Hub path whose first component reads as a host keeps its prefix, so the familiar name round-trips.
  ['docker.io/a.b/img', 'docker.io/a.b/img:latest', 'docker.io/a.b/img'],
];

test('normalizes references the way docker does', () => {
  for (const [input, normalized, familiar] of NORMALIZED) {
    const ref = parseImageReference(input);
    assert.equal(normalizeImageReference(input), normalized, input);
    assert.equal(familiarName(ref), familiar, input);
  }
  assert.equal(familiarString(parseImageReference('docker.io/library/alpine:3')), 'alpine:3');
});

// [input, a fragment the error must contain]
const REFUSED: Array<[string, RegExp]> = [
  ['', /empty/],
  ['alpine/X', /must be lowercase/],
  ['user/Img', /must be lowercase \("Img"\)/],
  ['host:5000/NS/img', /must be lowercase/],
  [' alpine', /whitespace/],
  ['alpine ', /whitespace/],
  ['a b', /whitespace/],
  ['alpine:', /tag/],
  ['alpine:-x', /tag/],
  ['alpine:.x', /tag/],
  ['alpine:' + 'x'.repeat(129), /tag is longer than 128/],
  ['alpine@sha256:abc', /sha256 digest has 64 hex characters, not 3/],
  ['alpine@sha256:' + 'A'.repeat(64), /lowercase hexadecimal/],
  ['alpine@sha256:' + 'g'.repeat(64), /lowercase hexadecimal/],
  ['alpine@md5:' + 'a'.repeat(32), /unsupported digest algorithm "md5"/],
  ['alpine@', /digest/],
  ['alpine@@' + SHA256, /digest/],
  ['alpine@' + SHA256 + '@' + SHA256, /digest/],
  ['user//img', /empty path component/],
  ['user/img/', /empty path component/],
  ['/img', /empty path component|host/],
  ['host:port/img', /port "port" must be digits/],
  ['-host.com/img', /host/],
  ['host.com/img-', /path component "img-"/],
  ['user/_img', /path component/],
  ['user/im..g', /path component/],
  ['user/im___g', /path component/],
  ['a'.repeat(64).replace(/a/g, 'f'), /image ID/],
  ['docker.io/' + 'a'.repeat(250), /longer than 255/],
  ['x'.repeat(2000), /longer than/],
  ['@' + SHA256, /repository name is missing/],
  [':tag', /repository name is missing/],
  ['ａlpine', /path component/],
];

test('refuses invalid references with an error that names the input and the rule', () => {
  for (const [input, why] of REFUSED) {
    const r = tryParseImageReference(input);
    assert.equal(r.ok, false, `accepted ${JSON.stringify(input)}`);
    if (r.ok) continue;
    assert.ok(r.error instanceof ImageReferenceError);
    assert.equal(r.error.input, input);
    assert.match(r.error.message, why, input);
    assert.ok(r.error.message.startsWith('invalid image reference "'), r.error.message);
    assert.throws(() => parseImageReference(input), ImageReferenceError);
  }
});

test('isRepositoryPath accepts only lowercase path components', () => {
  assert.equal(isRepositoryPath('mycompany/api'), true);
  assert.equal(isRepositoryPath('a/b/c'), true);
  assert.equal(isRepositoryPath('MyCompany/api'), false);
  assert.equal(isRepositoryPath('host:5000/api'), false);
  assert.equal(isRepositoryPath(''), false);
});

const component = fc.stringMatching(/^[a-z0-9]{1,6}(?:(?:[._]|__|-{1,2})[a-z0-9]{1,6}){0,2}$/);
const host = fc.oneof(
  fc.constantFrom('localhost', 'docker.io', 'index.docker.io', 'registry.example.com', '127.0.0.1'),
  fc.tuple(fc.constantFrom('localhost', 'reg.local', 'Reg'), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `${h}:${p}`),
);
const reference = fc
  .record({
    host: fc.option(host, { nil: undefined }),
    path: fc.array(component, { minLength: 1, maxLength: 3 }),
    tag: fc.option(fc.stringMatching(/^\w[\w.-]{0,10}$/), { nil: undefined }),
    digest: fc.option(
      fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`),
      { nil: undefined },
    ),
  })
  // Without a host, a first component with '.' would be read as a host; keep it a path.
  .map((r) => (r.host || r.path.length === 1 ? r : { ...r, path: [(r.path[0] as string).replace(/\./g, '-'), ...r.path.slice(1)] }))
  .map((r) => `${r.host ? `${r.host}/` : ''}${r.path.join('/')}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`);

test('property: normalization is idempotent and keeps tag and digest', () => {
  fc.assert(
    fc.property(reference, (input) => {
      const r = tryParseImageReference(input);
      if (!r.ok) return /image ID|longer than/.test(r.error.message); // generated 64-hex names are image IDs
      const once = normalizeImageReference(input);
      assert.equal(normalizeImageReference(once), once);
      // The familiar form normalizes back to the same reference.
      assert.equal(normalizeImageReference(familiarString(r.reference)), once);
      assert.ok(r.reference.tag !== undefined || r.reference.digest !== undefined);
      return true;
    }),
    { numRuns: 2000 },
  );
});

test('property: parsing never throws anything but ImageReferenceError', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 80 })), (input) => {
      const r = tryParseImageReference(input);
      if (r.ok) assert.equal(normalizeImageReference(normalizeImageReference(input)), normalizeImageReference(input));
      else assert.ok(r.error instanceof ImageReferenceError);
    }),
    { numRuns: 3000 },
  );
});
