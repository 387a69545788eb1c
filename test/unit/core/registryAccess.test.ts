import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideRegistryAccess,
  registryDisplayName,
  registryPatternMatches,
  registryPatternProblem,
  type RegistryAccessContext,
} from '../../../src/core/access/registryAccess.js';

const context = (allowed: string[], enabled = true): RegistryAccessContext => ({
  org: 'acme',
  settings: { enabled, allowed },
  bosunRegistries: ['127.0.0.1:5000'],
});

describe('Registry Access Management', () => {
  it('table: which entries cover which hosts', () => {
    const cases: Array<[string, string, boolean]> = [
      ['ghcr.io', 'ghcr.io', true],
      ['GHCR.io', 'ghcr.IO', true],
      ['ghcr.io', 'quay.io', false],
      ['docker.io', 'index.docker.io', true], // Docker Hub's three names are one registry
      ['registry-1.docker.io', 'docker.io', true],
      ['index.docker.io', 'registry-1.docker.io', true],
      ['*.example.com', 'reg.example.com', true],
      ['*.example.com', 'a.b.example.com:5000', true],
      ['*.example.com', 'example.com', false], // a wildcard is subdomains only
      ['*.example.com', 'badexample.com', false],
      ['*.example.com', 'example.com.evil.net', false],
      ['reg.example.com', 'reg.example.com:5000', true], // no port: any port
      ['reg.example.com:5000', 'reg.example.com:5001', false],
      ['reg.example.com:5000', 'reg.example.com:5000', true],
      ['reg.example.com:443', 'reg.example.com', true],
      ['localhost:5001', '127.0.0.1:5001', true], // loopback spellings are one
      ['[2001:db8::1]:5000', '[2001:DB8::1]:5000', true],
    ];
    for (const [entry, host, expected] of cases) assert.equal(registryPatternMatches(entry, host), expected, `${entry} vs ${host}`);
  });

  it('names the bad entry and the accepted forms', () => {
    for (const bad of ['', 'https://ghcr.io', 'ghcr.io/acme', '*', '*.com', 'a*.example.com', 'reg.example.com:70000', 'under_score.io', '[zz]']) {
      const problem = registryPatternProblem(bad);
      assert.ok(problem, `${JSON.stringify(bad)} should be refused`);
      assert.match(problem, /the registry|wildcard/);
    }
    for (const good of ['ghcr.io', 'registry.example.com:5000', '*.example.com', 'localhost:5000', '[::1]:5000']) {
      assert.equal(registryPatternProblem(good), undefined, good);
    }
  });

  it('allows everything when off, and always the org’s own Bosun registries', () => {
    assert.deepEqual(decideRegistryAccess('quay.io', context([], false)), { allowed: true, rule: 'registry-access-off' });
    assert.equal(decideRegistryAccess('localhost:5000', context([])).rule, 'bosun-registry');
    assert.equal(decideRegistryAccess('ghcr.io', context(['ghcr.io'])).matched, 'ghcr.io');
  });

  it('a refusal names the registry, the allowlist and who can change it', () => {
    const d = decideRegistryAccess('registry-1.docker.io', context(['ghcr.io', '*.example.com']));
    assert.equal(d.allowed, false);
    assert.equal(d.rule, 'registry-not-allowed');
    assert.match(d.message!, /^Access to docker\.io has been restricted by your administrators/);
    assert.match(d.message!, /127\.0\.0\.1:5000|localhost:5000/);
    assert.match(d.message!, /ghcr\.io, \*\.example\.com/);
    assert.match(d.message!, /ask an owner of acme to add docker\.io/);
  });

  it('refuses what is not a host name rather than guessing', () => {
    const d = decideRegistryAccess('bad host', context(['ghcr.io'], false));
    assert.equal(d.allowed, false);
    assert.equal(d.rule, 'registry-name-invalid');
  });

  it('shows Docker Hub as docker.io', () => {
    assert.equal(registryDisplayName('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(registryDisplayName('GHCR.io'), 'ghcr.io');
  });
});
