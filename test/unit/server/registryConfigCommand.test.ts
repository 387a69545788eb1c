// `bosun server registry-config` and `rotate-signing-key`: output contract and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { tmpdir } from 'node:os';
import { parse } from 'yaml';
import { registryConfigCommand, rotateSigningKeyCommand, type RegistryServiceLookup } from '../../../src/server/token/commands.js';

const lookup: RegistryServiceLookup = async (_dir, registry) => ({
  known: ['registry.example.com:5000'],
  ...(registry === 'registry.example.com:5000' ? { service: 'registry.example.com' } : {}),
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out: () => out.join(''), err: () => err.join('') };
}

test('prints the auth block for a declared registry and writes the bundle it names', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-regcfg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const c = capture();
  const code = await registryConfigCommand(
    ['--data', dir, '--registry', 'registry.example.com:5000', '--realm', 'https://bosun.example.com/token'],
    lookup,
    c.io,
  );
  assert.equal(code, 0, c.err());
  const { auth } = parse(c.out()) as { auth: { token: Record<string, string> } };
  assert.deepEqual(
    { ...auth.token, rootcertbundle: undefined },
    { realm: 'https://bosun.example.com/token', service: 'registry.example.com', issuer: 'bosun', rootcertbundle: undefined },
  );
  const bundle = auth.token.rootcertbundle ?? '';
  assert.ok(isAbsolute(bundle));
  assert.ok(new X509Certificate(readFileSync(bundle)).subject.includes('Bosun'));
  const r = capture();
  assert.equal(await rotateSigningKeyCommand(['--data', dir], r.io), 0);
  assert.match(r.out(), /new signing key [A-Z2-7:]{59} is current; [A-Z2-7:]{59} stays in the bundle until its tokens expire/);
  assert.equal(readFileSync(bundle, 'utf8').match(/BEGIN CERTIFICATE/g)?.length, 2);
});

test('bad input names the input and what to do; nothing is written', async () => {
  const cases: Array<[string[], number, RegExp]> = [
    [['--data', '/nonexistent', '--registry', 'r:1'], 2, /missing --realm/],
    [['--data', '/x', '--registry', 'r:1', '--realm', 'not a url'], 2, /--realm "not a url" is not a URL/],
    [['--data', '/x', '--registry', 'r:1', '--realm', 'ftp://x/token'], 2, /http or https/],
    [['--data', '/x', '--registry', 'r:1', '--realm', 'https://x/token', '--bogus'], 2, /Unknown option '--bogus'/],
    [
      ['--data', '/x', '--registry', 'other:5000', '--realm', 'https://x/token'],
      1,
      /registry other:5000 is not declared under `registries` .*\(declared: registry\.example\.com:5000\)\. Add it/,
    ],
  ];
  for (const [argv, code, message] of cases) {
    const c = capture();
    assert.equal(await registryConfigCommand(argv, lookup, c.io), code, argv.join(' '));
    assert.match(c.err(), message);
    assert.equal(c.out(), '');
  }
});

test('--bundle writes a world-readable copy for a registry that runs as its own user, and names it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-regcfg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const target = join(dir, 'etc', 'docker', 'registry', 'bosun-bundle.pem');
  const c = capture();
  const code = await registryConfigCommand(
    ['--data', join(dir, 'data'), '--registry', 'registry.example.com:5000', '--realm', 'https://bosun.example.com/token', '--bundle', target],
    lookup,
    c.io,
  );
  assert.equal(code, 0, c.err());
  const { auth } = parse(c.out()) as { auth: { token: Record<string, string> } };
  assert.equal(auth.token.rootcertbundle, target);
  assert.equal(statSync(target).mode & 0o777, 0o644);
  assert.equal(readFileSync(target, 'utf8'), readFileSync(join(dir, 'data', 'token-signing', 'bundle.pem'), 'utf8'));
  assert.doesNotMatch(readFileSync(target, 'utf8'), /PRIVATE KEY/);
});

test('a data directory without server data is named as such, with what to do', async () => {
  const c = capture();
  const code = await registryConfigCommand(
    ['--data', '/nonexistent', '--registry', 'r:1', '--realm', 'https://x/token'],
    async () => ({ known: [], noServerData: true }),
    c.io,
  );
  assert.equal(code, 1);
  assert.match(c.err(), /\/nonexistent holds no Bosun server data: start the server there first/);
  assert.equal(c.out(), '');
});
