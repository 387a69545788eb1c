// Playwright `_electron` specs: the real app (dist/electron/main.cjs) in an isolated home. They need
// an Electron binary, which npm downloads on install; on machines that reach only package registries
// the download is denied (package.json allowScripts: electron=false), so here they skip and say so.
// CI on macOS, Windows and Linux (xvfb) runs them: `npm run build && node scripts/run-tests.mjs electron`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { policyLocations } from '../../src/platform/workstationPolicy/locations.js';
import { startBosunServer, type BosunServerHandle } from '../helpers/bosunServer.js';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { SEED, PASSWORDS } from '../ui/harness/agentUnderTest.js';

const root = join(import.meta.dirname, '../..');
const mainBundle = join(root, 'dist/electron/main.cjs');

function electronBinary(): { path?: string; why?: string } {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    if (typeof p === 'string' && existsSync(p)) return { path: p };
    return { why: `the electron package points at ${String(p)}, which does not exist` };
  } catch (err) {
    return {
      why:
        'no Electron binary on this machine: npm did not download it (allowScripts electron=false, and only package registries are reachable here); ' +
        `electron says: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
const electron = electronBinary();
const skip = electron.path ? (existsSync(mainBundle) ? false : `${mainBundle} is missing: run npm run build first`) : electron.why!;
if (skip) console.log(`# test/electron skipped: ${skip}`);

interface ShellGlobals {
  __bosunShell: { tray: { model?: { icon: string; items: { id: string; label: string; enabled: boolean }[] } }; core: { state: { state: { name: string } } } };
}

/** registry.json and Bosun's settings.json at this OS's admin paths under the sandbox's policy root. */
function writeAdminFile(which: 'registryJson' | 'adminSettings', sandbox: Sandbox, body: string): void {
  const file = policyLocations({ env: sandbox.env })[which];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}
const writePolicy = (sandbox: Sandbox, body: string) => writeAdminFile('registryJson', sandbox, body);

async function launch(sandbox: Sandbox): Promise<ElectronApplication> {
  return _electron.launch({
    executablePath: electron.path!,
    args: [mainBundle],
    env: { ...sandbox.env, BOSUN_TEST: '1' } as Record<string, string>,
    timeout: 30_000,
  });
}

async function trayItems(app: ElectronApplication) {
  return app.evaluate(() => (globalThis as unknown as ShellGlobals).__bosunShell.tray.model);
}

describe('the Electron app', { skip }, () => {
  let sandbox: Sandbox;
  let server: BosunServerHandle;
  let app: ElectronApplication | undefined;
  before(async () => {
    sandbox = makeSandbox('bosun-electron-');
    server = await startBosunServer({ seed: SEED });
    writeAdminFile('adminSettings', sandbox, JSON.stringify({ server: server.url }));
  });
  after(async () => {
    await app?.close();
    await server?.stop();
    sandbox.cleanup();
  });

  test('tray under enforcement with nobody signed in: the status line asks for sign-in and the sign-in window opens by itself', async () => {
    writePolicy(sandbox, JSON.stringify({ allowedOrgs: ['mycompany'] }));
    app = await launch(sandbox);
    const window = await app.firstWindow();
    assert.equal(await window.title(), 'Sign in to Bosun');
    const model = await trayItems(app);
    assert.equal(model?.items[0]?.label, 'Sign-in required by your organization');
    assert.deepEqual(
      model?.items.map((i) => i.id),
      ['status', 'sign-in', 'permissions', 'diagnostics', 'open-logs', 'about', 'quit'],
    );
    assert.equal(model?.icon, 'signed-out');
    // The renderer is sandboxed: no Node, only the bridge.
    assert.equal(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    assert.equal(await window.evaluate(() => typeof (window as unknown as { bosun?: unknown }).bosun), 'object');
  });

  test('a pull that needs credentials while signed out makes the app show the sign-in prompt', async () => {
    assert.ok(app, 'the app from the previous test is running');
    for (const w of app.windows()) await w.close();
    const helper = spawnSync(process.execPath, [join(root, 'dist/helper/docker-credential-bosun.cjs'), 'get'], {
      input: '127.0.0.1:5000\n',
      env: sandbox.env,
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.equal(helper.status, 1);
    assert.match(helper.stderr, /sign in to mycompany with Bosun/);
    const prompt = await app.waitForEvent('window', { timeout: 15_000 });
    assert.equal(await prompt.title(), 'Sign in to Bosun');
  });

  test('signing in through the window changes the tray; removal from the org on the server signs the user out', async () => {
    assert.ok(app, 'the app from the previous test is running');
    const window = app.windows().at(-1) ?? (await app.waitForEvent('window'));
    await window.getByLabel('Username or email').fill('alice');
    await window.getByLabel('Password or access token').fill(PASSWORDS.alice);
    await window.getByRole('button', { name: 'Sign in', exact: true }).click();
    await window.locator('#headline', { hasText: 'Signed in as alice · mycompany' }).waitFor();
    assert.equal((await trayItems(app))?.items[0]?.label, 'Signed in as alice · mycompany');
    const org = SEED.orgs.find((o) => o.name === 'mycompany')!;
    assert.equal((await server.apply({ orgs: [{ ...org, members: org.members.filter((m) => m.user !== 'alice') }] }, ['--prune'])).code, 0);
    await app.evaluate(() => (globalThis as unknown as { __bosunShell: { core: { checkNow(): Promise<void> } } }).__bosunShell.core.checkNow());
    const model = await trayItems(app);
    assert.equal(model?.items[0]?.label, 'Sign-in required by your organization');
    assert.equal(model?.icon, 'signed-out');
    assert.equal((await server.apply(SEED)).code, 0);
  });

  test('an unreadable policy: the tray says to contact IT and sign-in is disabled (fail closed)', async () => {
    await app?.close();
    writePolicy(sandbox, '{"allowedOrgs": [');
    app = await launch(sandbox);
    await app.firstWindow().catch(() => undefined);
    const model = await trayItems(app);
    assert.equal(model?.items[0]?.label, 'Policy error: contact IT');
    assert.equal(model?.items.find((i) => i.id === 'sign-in')?.enabled, false);
    assert.equal(model?.icon, 'attention');
  });
});
