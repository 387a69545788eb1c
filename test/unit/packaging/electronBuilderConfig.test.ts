// build/electron-builder.config.cjs against electron-builder's own schema validation, plus the
// promises the packaging makes that a schema cannot see: fuses, env-gated signing, and that every
// script and resource the config names exists and agrees with the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../../src/common/packageRoot.js';

const require = createRequire(import.meta.url);
const root = packageRoot();
const configPath = join(root, 'build/electron-builder.config.cjs');

type Config = Record<string, unknown> & {
  mac: Record<string, unknown>;
  win: Record<string, unknown>;
  nsis: Record<string, unknown>;
  msiWrapped: Record<string, unknown>;
  pkg: Record<string, unknown>;
  deb: Record<string, unknown>;
  linux: Record<string, unknown> & { extraResources: { from: string; to: string }[] };
  extraResources: { from: string; to: string; filter: string[] }[];
};

const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const SIGNING_ENV = [
  'CSC_LINK',
  'CSC_NAME',
  'APPLE_API_KEY',
  'APPLE_API_KEY_ID',
  'APPLE_API_ISSUER',
  'APPLE_ID',
  'APPLE_APP_SPECIFIC_PASSWORD',
  'APPLE_TEAM_ID',
  'AZURE_TRUSTED_SIGNING_ENDPOINT',
  'AZURE_CODE_SIGNING_ACCOUNT',
  'AZURE_CERT_PROFILE',
  'AZURE_PUBLISHER_NAME',
];

/** Loads the config fresh under the given signing environment (it reads process.env at load). */
function loadConfig(env: Record<string, string> = {}): Config {
  const saved = Object.fromEntries(SIGNING_ENV.map((k) => [k, process.env[k]]));
  for (const k of SIGNING_ENV) delete process.env[k];
  Object.assign(process.env, env);
  try {
    delete require.cache[require.resolve(configPath)];
    return require(configPath) as Config;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const validate = (config: unknown) => validateConfiguration(config, new DebugLogger(false));

test("the configuration passes electron-builder's schema, unsigned and signed", async () => {
  await validate(loadConfig());
  await validate(
    loadConfig({
      CSC_LINK: 'x.p12',
      APPLE_API_KEY: 'k.p8',
      APPLE_API_KEY_ID: 'id',
      APPLE_API_ISSUER: 'iss',
      AZURE_TRUSTED_SIGNING_ENDPOINT: 'https://e',
      AZURE_CODE_SIGNING_ACCOUNT: 'a',
      AZURE_CERT_PROFILE: 'p',
      AZURE_PUBLISHER_NAME: 'n',
    }),
  );
});

test('the validator rejects what electron-builder would reject (so the test above can fail)', async () => {
  await assert.rejects(
    validate({ ...loadConfig(), nsis: { ...loadConfig().nsis, perMachin: true } }),
    /does not match the API schema[\s\S]*configuration\.nsis/,
  );
});

test('targets: dmg+pkg, NSIS+MSI, deb+AppImage; asar on; the helper ships in resources/bin', () => {
  const c = loadConfig();
  const targets = (section: Record<string, unknown>) => (section.target as { target: string }[]).map((t) => t.target);
  assert.deepEqual(targets(c.mac), ['dmg', 'pkg']);
  assert.deepEqual(targets(c.win), ['nsis', 'msiWrapped']);
  assert.deepEqual(targets(c.linux), ['deb', 'AppImage']);
  assert.equal(c.asar, true);
  assert.equal(c.appId, 'dev.bosun.agent');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
  assert.ok((c.files as string[]).includes(pkg.main), `the app's entry ${pkg.main} is packaged`);
  assert.ok(!(c.files as string[]).some((f) => f.startsWith('dist/src')), 'no development-flavor tsc output in the app');
  assert.deepEqual(c.extraResources, [
    { from: 'dist/helper/sea', to: 'bin', filter: ['docker-credential-bosun', 'docker-credential-bosun.exe'] },
    { from: 'dist/cli/sea', to: 'bin', filter: ['bosun', 'bosun.exe'] },
  ]);
});

test('every installer puts both executables in resources/bin on PATH, and removal takes them off', () => {
  const c = loadConfig();
  const read = (f: string) => readFileSync(join(root, f), 'utf8');
  const postinst = read(c.deb.afterInstall as string);
  const postrm = read(c.deb.afterRemove as string);
  const pkgPostinstall = read(join('build', c.pkg.scripts as string, 'postinstall'));
  for (const name of ['docker-credential-bosun', 'bosun']) {
    assert.ok(postinst.includes(`ln -sf "$APP_DIR/resources/bin/${name}" /usr/bin/${name}\n`), `deb: /usr/bin/${name}`);
    assert.match(postrm, new RegExp(`rm -f .* /usr/bin/${name}( |$)`, 'm'), `deb removal: /usr/bin/${name}`);
  }
  assert.match(pkgPostinstall, /for name in docker-credential-bosun bosun; do\n\s+ln -sfn "\$BIN\/\$name" "\/usr\/local\/bin\/\$name"/);
  assert.match(pkgPostinstall, /^BIN="\$APP\/Contents\/Resources\/bin"$/m);
  // Windows: the whole resources\bin directory goes on the machine PATH, so both .exe files are on it.
  const nsh = read(c.nsis.include as string);
  assert.match(nsh, /-Action Install -BinDir "\$INSTDIR\\resources\\bin"/);
  assert.match(nsh, /-Action Uninstall -BinDir "\$INSTDIR\\resources\\bin"/);
  assert.ok(c.extraResources.every((r) => r.to === 'bin'));
});

test('signing and notarization are off without their environment variables, on with them', () => {
  const unsigned = loadConfig();
  assert.equal(unsigned.mac.identity, null, 'no identity: electron-builder skips signing instead of failing');
  assert.equal(unsigned.mac.notarize, false);
  assert.equal(unsigned.win.azureSignOptions, undefined);
  const signedOnly = loadConfig({ CSC_LINK: 'x.p12' });
  assert.equal('identity' in signedOnly.mac, false);
  assert.equal(signedOnly.mac.notarize, false, 'signing without Apple credentials does not try to notarize');
  const notarized = loadConfig({ CSC_LINK: 'x.p12', APPLE_ID: 'a@b', APPLE_APP_SPECIFIC_PASSWORD: 'p', APPLE_TEAM_ID: 't' });
  assert.equal(notarized.mac.notarize, true);
  const notarizeHook = require(join(root, 'build/notarizeInstallers.cjs')) as { notarizationCredentials(env: Record<string, string>): string[] | undefined };
  assert.equal(notarizeHook.notarizationCredentials({}), undefined);
  assert.deepEqual(notarizeHook.notarizationCredentials({ CSC_NAME: 'Dev ID', APPLE_API_KEY: 'k.p8', APPLE_API_KEY_ID: 'id', APPLE_API_ISSUER: 'iss' }), [
    '--key',
    'k.p8',
    '--key-id',
    'id',
    '--issuer',
    'iss',
  ]);
});

test('afterPack flips the fuses that keep the app from becoming a plain node', () => {
  const { fuseConfig } = require(join(root, 'build/afterPack.cjs')) as { fuseConfig(p: string): Record<string, unknown> };
  const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };
  for (const platform of ['darwin', 'win32', 'linux']) {
    const wire = fuseConfig(platform);
    assert.equal(wire[FuseV1Options.RunAsNode!], false, `${platform}: RunAsNode`);
    assert.equal(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable!], false, `${platform}: NODE_OPTIONS`);
    assert.equal(wire[FuseV1Options.EnableNodeCliInspectArguments!], false, `${platform}: --inspect`);
    assert.equal(wire[FuseV1Options.OnlyLoadAppFromAsar!], true, `${platform}: only from asar`);
    assert.equal(wire[FuseV1Options.EnableCookieEncryption!], true, `${platform}: cookie encryption`);
  }
  assert.equal(fuseConfig('darwin')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation!], true);
});

test('every script and resource the configuration names exists, and the installer scripts parse', () => {
  const c = loadConfig();
  const buildDir = join(root, 'build');
  const files = [
    c.beforePack,
    c.afterPack,
    c.afterAllArtifactBuild,
    c.nsis.include,
    c.deb.afterInstall,
    c.deb.afterRemove,
    c.mac.entitlements,
    ...c.linux.extraResources.map((r) => r.from),
    ...(c.win.extraResources as { from: string }[]).map((r) => r.from),
  ] as string[];
  for (const f of files) assert.ok(existsSync(join(root, f)), `${f} is missing`);
  const pkgScripts = join(buildDir, c.pkg.scripts as string);
  for (const script of ['postinstall', 'write-registry-json.sh']) {
    accessSync(join(pkgScripts, script), constants.X_OK);
    const r = spawnSync('bash', ['-n', join(pkgScripts, script)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${script}: ${r.stderr}`);
  }
  for (const script of [c.deb.afterInstall, c.deb.afterRemove] as string[]) {
    const text = readFileSync(join(root, script), 'utf8');
    // electron-builder substitutes ${name} macros (letters only) and throws on unknown ones.
    const macros = new Set([...text.matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]));
    assert.deepEqual(
      [...macros].filter((m) => m !== 'executable' && m !== 'sanitizedProductName'),
      [],
      `${script}: unknown macros`,
    );
    const substituted = text.replace(/\$\{executable\}/g, 'bosun-tray').replace(/\$\{sanitizedProductName\}/g, 'Bosun');
    const r = spawnSync('bash', ['-n'], { input: substituted, encoding: 'utf8' });
    assert.equal(r.status, 0, `${script}: ${r.stderr}`);
  }
});

test('the MSI passes ALLOWEDORG to the NSIS option that writes registry.json', () => {
  const c = loadConfig();
  assert.match(c.msiWrapped.wrappedInstallerArgs as string, /--allowed-org="\[ALLOWEDORG\]"/);
  const nsh = readFileSync(join(root, c.nsis.include as string), 'utf8');
  assert.match(nsh, /\$\{GetOptions\} \$R0 "--allowed-org=" \$R1/);
  const ps1Target = (c.win.extraResources as { to: string }[])[0]!.to.replace(/\//g, '\\');
  assert.ok(nsh.includes(`$INSTDIR\\resources\\${ps1Target}`), 'installer.nsh calls the script where extraResources puts it');
  assert.equal(c.nsis.perMachine, true);
});

test('release.yml builds on macOS, Windows and Linux and runs the _electron specs (xvfb on Linux)', async () => {
  const { default: YAML } = await import('yaml');
  const workflow = YAML.parse(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8')) as {
    jobs: { installers: { strategy: { matrix: { include: { os: string; platform: string }[] } }; steps: { run?: string; if?: string }[] } };
  };
  const job = workflow.jobs.installers;
  assert.deepEqual(job.strategy.matrix.include.map((m) => m.platform).sort(), ['linux', 'mac', 'win']);
  assert.deepEqual(job.strategy.matrix.include.map((m) => m.os.split('-')[0]).sort(), ['macos', 'ubuntu', 'windows']);
  const runs = job.steps.map((s) => s.run ?? '');
  assert.ok(
    runs.some((r) => r.includes('xvfb-run') && r.includes('run-tests.mjs electron')),
    'Linux specs under xvfb',
  );
  assert.ok(
    runs.some((r) => r === 'node scripts/run-tests.mjs electron'),
    'macOS/Windows specs',
  );
  assert.ok(
    runs.some((r) => r.includes('electron/install.js')),
    'downloads Electron explicitly (npm ci does not)',
  );
  assert.ok(runs.some((r) => r.includes('--config build/electron-builder.config.cjs')));
  assert.ok(runs.some((r) => r.includes('dpkg-deb -c')));
});
