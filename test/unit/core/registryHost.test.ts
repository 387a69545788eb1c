import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalRegistry, isRegistryAlias, protectedRegistryFor, registryHost } from '../../../src/core/dockerConfig/registryHost.js';

describe('registry aliases', () => {
  it('table: spellings docker treats as the same registry', () => {
    const same: Array<[string, string]> = [
      ['localhost:5000', '127.0.0.1:5000'],
      ['127.0.0.2:5000', '127.0.0.1:5000'], // all of 127.0.0.0/8 is loopback
      ['[::1]:5000', '127.0.0.1:5000'],
      ['[0:0:0:0:0:0:0:1]:5000', 'localhost:5000'],
      ['[::ffff:127.0.0.1]:5000', 'localhost:5000'],
      ['LocalHost:5000', '127.0.0.1:5000'],
      ['localhost.:5000', 'localhost:5000'],
      ['http://localhost:5000', '127.0.0.1:5000'],
      ['https://localhost:5000/v2/', '127.0.0.1:5000'],
      ['https://127.0.0.1:5000/v1/some/path', '127.0.0.1:5000'],
      ['REG.example.com', 'reg.example.com'],
      ['reg.example.com:443', 'reg.example.com'],
      ['https://reg.example.com:443/', 'reg.example.com'],
      ['reg.example.com:05000', 'reg.example.com:5000'],
      ['https://index.docker.io/v1/', 'index.docker.io'],
      ['docker.io', 'index.docker.io'],
      ['registry-1.docker.io', 'index.docker.io'],
      ['HTTPS://INDEX.DOCKER.IO/v1/', 'docker.io'],
      ['[2001:db8::1]:5000', '[2001:DB8::1]:5000'],
      ['  localhost:5000\n', '127.0.0.1:5000'],
    ];
    for (const [a, b] of same) assert.ok(isRegistryAlias(a, b), `${a} should be an alias of ${b} (${canonicalRegistry(a)} vs ${canonicalRegistry(b)})`);
    const different: Array<[string, string]> = [
      ['localhost:5001', '127.0.0.1:5000'], // another port is another registry
      ['localhost', '127.0.0.1:5000'],
      ['128.0.0.1:5000', '127.0.0.1:5000'],
      ['127.0.0.256:5000', '127.0.0.1:5000'],
      ['localhost.example.com:5000', 'localhost:5000'],
      ['reg.example.com:80', 'reg.example.com'],
      ['reg.example.com.evil:443', 'reg.example.com'],
      ['[2001:db8::1]:5000', '127.0.0.1:5000'],
      ['ghcr.io', 'index.docker.io'],
      ['', '127.0.0.1:5000'],
      ['localhost:abc', 'localhost:abc'],
    ];
    for (const [a, b] of different) assert.ok(!isRegistryAlias(a, b), `${a} should not be an alias of ${b}`);
  });

  it('registryHost is docker’s ConvertToHostname: scheme and path dropped, the rest as written', () => {
    assert.equal(registryHost('https://Reg.Example.com:5000/v2/x'), 'Reg.Example.com:5000');
    assert.equal(registryHost('http://localhost:5000'), 'localhost:5000');
    assert.equal(registryHost(' host:5000 '), 'host:5000');
  });

  it('protectedRegistryFor names the listed registry a key aliases', () => {
    assert.equal(protectedRegistryFor('http://LOCALHOST:5000/v2/', ['gcr.io', '127.0.0.1:5000']), '127.0.0.1:5000');
    assert.equal(protectedRegistryFor('localhost:5001', ['127.0.0.1:5000']), undefined);
  });

  const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
  const hostname = fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.'));
  const port = fc.integer({ min: 1, max: 65535 });
  const loopback = fc.oneof(
    fc.constant('localhost'),
    fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `127.${a}.${b}.${c}`),
    fc.constantFrom('[::1]', '[0:0:0:0:0:0:0:1]', '[::ffff:127.0.0.1]'),
  );
  const scheme = fc.constantFrom('', 'http://', 'https://', 'HTTPS://');
  const path = fc.constantFrom('', '/', '/v2/', '/v1/', '/a/b');
  const randomCase = (s: string, flips: boolean[]) => [...s].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('');

  it('property: scheme, path and case never change which registry a key names', () => {
    fc.assert(
      fc.property(hostname, fc.option(port), scheme, path, fc.array(fc.boolean(), { minLength: 1 }), (h, p, sch, pth, flips) => {
        const plain = p === null ? h : `${h}:${p}`;
        assert.ok(isRegistryAlias(`${sch}${randomCase(plain, flips)}${pth}`, plain));
      }),
    );
  });

  it('property: every loopback name on a port is the same registry, and never the same as another port', () => {
    fc.assert(
      fc.property(loopback, loopback, port, port, (a, b, p, q) => {
        assert.ok(isRegistryAlias(`${a}:${p}`, `${b}:${p}`));
        if (p !== q) assert.ok(!isRegistryAlias(`${a}:${p}`, `${b}:${q}`));
      }),
    );
  });

  it('property: :443 is the default port; other hosts are never aliases', () => {
    fc.assert(
      fc.property(hostname, hostname, (h, g) => {
        assert.ok(isRegistryAlias(`${h}:443`, h));
        if (canonicalRegistry(h) !== canonicalRegistry(g)) assert.ok(!isRegistryAlias(h, g));
      }),
    );
  });

  it('property: canonicalRegistry is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(hostname, loopback), fc.option(port), scheme, path, (h, p, sch, pth) => {
        const c = canonicalRegistry(`${sch}${h}${p === null ? '' : `:${p}`}${pth}`);
        assert.ok(c !== undefined);
        assert.equal(canonicalRegistry(c), c);
      }),
    );
  });
});
