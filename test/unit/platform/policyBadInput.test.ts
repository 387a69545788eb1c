// Every way a deployed registry.json can be wrong, each as a real file under a sandboxed policy root,
// read through the whole pipeline (safe reader → decoding → schema → names → report). Each must fail
// closed with a message naming the problem; none may crash or be silently ignored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { policyLocations } from '../../../src/platform/workstationPolicy/locations.js';
import { readPolicy } from '../../../src/platform/workstationPolicy/readPolicy.js';

let sb: Sandbox;
let file: string;
before(() => {
  sb = makeSandbox();
  file = policyLocations({ env: sb.env }).registryJson;
});
after(() => sb.cleanup());

function reset(): void {
  rmSync(dirname(file), { recursive: true, force: true });
  mkdirSync(dirname(file), { recursive: true });
}

const utf16 = (s: string, bom: boolean, be = false) => {
  const le = Buffer.from(s, 'utf16le');
  const body = be ? Buffer.from(le).swap16() : le;
  return Buffer.concat([bom ? Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]) : Buffer.alloc(0), body]);
};

/** [name, file content, expected error (message), expected error path]. */
const contentCases: [string, string | Buffer, RegExp, string?][] = [
  ['empty file', '', /is empty \(0 bytes\)/],
  ['only whitespace', ' \n\t\n', /contains only whitespace/],
  ['YAML instead of JSON', 'allowedOrgs:\n  - myorg\n', /is not valid JSON/],
  ['trailing comma', '{"allowedOrgs": ["myorg",]}', /is not valid JSON at line 1/],
  ['truncated JSON', '{"allowedOrgs": ["myorg"', /is not valid JSON/],
  ['JSON with comments', '// policy\n{"allowedOrgs": ["myorg"]}', /is not valid JSON/],
  ['top-level array', '["myorg"]', /must be of type object/, ''],
  ['top-level string', '"myorg"', /must be of type object/, ''],
  ['top-level null', 'null', /must be of type object/, ''],
  ['UTF-16 LE with BOM (PowerShell)', utf16('{"allowedOrgs":["myorg"]}', true), /UTF-16 \(PowerShell's default.*Set-Content -Encoding utf8/],
  ['UTF-16 BE with BOM', utf16('{"allowedOrgs":["myorg"]}', true, true), /encoded as UTF-16/],
  ['UTF-16 LE without BOM', utf16('{"allowedOrgs":["myorg"]}', false), /looks like UTF-16 text without a byte order mark/],
  ['UTF-32 LE', Buffer.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0, 0x7d, 0, 0, 0]), /encoded as UTF-32/],
  ['Latin-1 bytes', Buffer.from('{"allowedOrgs":["caf\xe9"]}', 'latin1'), /not valid UTF-8 \(probably saved as Latin-1/],
  ['binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]), /binary file, not JSON/],
  ['allowedOrgs missing', '{}', /is required but missing/, '/allowedOrgs'],
  ['allowedOrgs misspelled', '{"allowedOrg": ["myorg"]}', /is required but missing/, '/allowedOrgs'],
  ['allowedOrgs empty array', '{"allowedOrgs": []}', /must have at least 1 entry/, '/allowedOrgs'],
  ['allowedOrgs a string', '{"allowedOrgs": "myorg"}', /must be an array/, '/allowedOrgs'],
  ['allowedOrgs null', '{"allowedOrgs": null}', /must be an array/, '/allowedOrgs'],
  ['allowedOrgs a number', '{"allowedOrgs": 42}', /must be an array/, '/allowedOrgs'],
  ['allowedOrgs an object', '{"allowedOrgs": {"myorg": true}}', /must be an array/, '/allowedOrgs'],
  ['an entry is a number', '{"allowedOrgs": ["myorg", 7]}', /must be of type string/, '/allowedOrgs/1'],
  ['every entry empty', '{"allowedOrgs": ["", "  ", ";"]}', /lists no organization/, '/allowedOrgs'],
  ['name with a space', '{"allowedOrgs": ["my org"]}', /"my org" is not a valid organization name: it contains a space/, '/allowedOrgs/0'],
  ['registry host and org', '{"allowedOrgs": ["docker.io/myorg"]}', /contains "\/"/, '/allowedOrgs/0'],
  ['org with tag', '{"allowedOrgs": ["myorg:latest"]}', /contains ":"/, '/allowedOrgs/0'],
  ['Cyrillic look-alike', '{"allowedOrgs": ["ok", "mуorg"]}', /Cyrillic character\) that looks like the ASCII letter "y"/, '/allowedOrgs/1'],
  ['Greek look-alike', '{"allowedOrgs": ["οrg"]}', /Greek character\) that looks like the ASCII letter "o"/, '/allowedOrgs/0'],
  ['fullwidth look-alike', '{"allowedOrgs": ["ｍyorg"]}', /looks like the ASCII letter "m"/, '/allowedOrgs/0'],
  ['zero-width space', '{"allowedOrgs": ["my\u200borg"]}', /invisible formatting character/, '/allowedOrgs/0'],
  ['leading hyphen', '{"allowedOrgs": ["-myorg"]}', /must start and end/, '/allowedOrgs/0'],
  ['mixed separators', '{"allowedOrgs": ["my._org"]}', /separators must sit between/, '/allowedOrgs/0'],
  ['punctuation', '{"allowedOrgs": ["my@org"]}', /the character "@" is not allowed/, '/allowedOrgs/0'],
  ['name too long', JSON.stringify({ allowedOrgs: ['a'.repeat(300)] }), /300 characters long/, '/allowedOrgs/0'],
  ['duplicate allowedOrgs key', '{"allowedOrgs": ["a"], "allowedOrgs": ["b"]}', /has the same key twice \(line 1/],
  ['bad entry among good ones (one bad name fails the whole policy)', '{"allowedOrgs": ["good", "bad org", "fine"]}', /"bad org"/, '/allowedOrgs/1'],
];

for (const [name, content, message, path] of contentCases) {
  test(`bad input: ${name} → policy error`, async () => {
    reset();
    writeFileSync(file, content);
    const r = await readPolicy({ env: sb.env });
    assert.equal(r.state, 'policy-error', JSON.stringify(r.errors));
    assert.deepEqual(r.allowedOrgs, []);
    assert.equal(r.winner?.location, file);
    const e = r.errors.find((x) => message.test(x.message));
    assert.ok(e, `expected an error matching ${message}, got ${JSON.stringify(r.errors)}`);
    assert.equal(e.source, file, 'every error names its source file');
    if (path !== undefined) assert.equal(e.path, path);
  });
}

const fileCases: [string, () => void, RegExp][] = [
  ['a directory where the file should be', () => mkdirSync(file), /is a directory, but it must be a file/],
  ['a broken symlink', () => symlinkSync(`${dirname(file)}/gone.json`, file), /is a broken symbolic link \(it points to .*gone\.json/],
  [
    'a symlink loop',
    () => {
      symlinkSync(`${dirname(file)}/b`, file);
      symlinkSync(file, `${dirname(file)}/b`);
    },
    /symbolic link loop/,
  ],
  ['a huge file', () => writeFileSync(file, `{"allowedOrgs": ["myorg"], "pad": "${'x'.repeat(2 * 1024 * 1024)}"}`), /over the 1048576-byte limit/],
  ['a FIFO', () => mkfifoSync(file), /not a regular file \(a FIFO/],
];

function mkfifoSync(path: string): void {
  execFileSync('mkfifo', [path]);
}

for (const [name, make, message] of fileCases) {
  test(`bad input: ${name} → policy error`, async () => {
    reset();
    make();
    const r = await readPolicy({ env: sb.env });
    assert.equal(r.state, 'policy-error');
    assert.match(r.errors[0]?.message ?? '', message);
  });
}

test('bad input: a file where a parent directory should be → policy error', async () => {
  rmSync(dirname(file), { recursive: true, force: true });
  mkdirSync(dirname(dirname(file)), { recursive: true });
  writeFileSync(dirname(file), 'not a directory');
  const r = await readPolicy({ env: sb.env });
  assert.equal(r.state, 'policy-error');
  assert.match(r.errors[0]?.message ?? '', /a parent of .* is a file, not a directory/);
  rmSync(dirname(file));
});

test('accepted with warnings: UTF-8 BOM and unknown keys', async () => {
  reset();
  writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"allowedOrgs": [" MyOrg ; other"], "alowedOrgs": 1}')]));
  const r = await readPolicy({ env: sb.env });
  assert.equal(r.state, 'enforced');
  assert.deepEqual(r.allowedOrgs, ['myorg', 'other']);
  assert.ok(r.warnings.some((w) => /UTF-8 byte order mark; it was accepted/.test(w.message)));
  assert.ok(r.warnings.some((w) => w.path === '/alowedOrgs' && /unknown key "alowedOrgs"/.test(w.message)));
});

test('no source present → no policy (the only outcome that enforces nothing)', async () => {
  rmSync(dirname(file), { recursive: true, force: true });
  const r = await readPolicy({ env: sb.env });
  assert.equal(r.state, 'no-policy');
  assert.deepEqual(r.errors, []);
  assert.equal(r.sources[0]?.status, 'absent');
});
