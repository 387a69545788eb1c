// The app's pages in Debian's Chromium, over the real shell handlers and the real agent core:
// sign-in (success, wrong password, non-member, org picker, browser/device flow), org switching,
// revocation, the permissions view, diagnostics and About, each with an axe accessibility check,
// keyboard navigation, and screenshots into docs/screenshots/. Runs inside a gnome-keyring D-Bus
// session started by shell.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { agentUnderTest, PASSWORDS, type AgentUnderTest } from './harness/agentUnderTest.js';
import { CHROMIUM, ShellHarness } from './harness/shellHarness.js';

// Screenshots go to test-results/ (ignored by git) so a test run never rewrites tracked files;
// BOSUN_UPDATE_SCREENSHOTS=1 writes the README's copies in docs/screenshots instead.
const SHOTS = join(import.meta.dirname, '../..', process.env.BOSUN_UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots');
const skip = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (install Debian's chromium package)`
  : process.env.BOSUN_IN_KEYRING
    ? false
    : 'run through test/ui/shell.test.ts (needs its keyring session)';

async function axe(page: Page, name: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const problems = r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(problems, [], `${name}: accessibility violations`);
}
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
async function signInWithPassword(page: Page, user: string, password: string): Promise<void> {
  await page.getByLabel('Username or email').fill(user);
  await page.getByLabel('Password or access token').fill(password);
  await page.getByRole('button', { name: /^(Sign in|Continue)$/ }).click();
}
const headline = (page: Page) => page.locator('#headline');
const message = (page: Page) => page.getByRole('alert');

describe('Bosun pages in Chromium', { skip }, () => {
  let agent: AgentUnderTest;
  let shell: ShellHarness;
  before(async () => {
    agent = await agentUnderTest();
    shell = await ShellHarness.start(agent.deps);
  });
  after(async () => {
    await shell?.close();
    await agent?.stop();
  });
  const signOut = async () => {
    await agent.deps.core.logout();
  };

  test('signed out: the sign-in page says why, passes axe, and is usable by keyboard alone', async () => {
    const page = await shell.open('signin');
    await assertText(headline(page), 'Sign-in required by your organization');
    await axe(page, 'sign-in');
    await shot(page, 'signin');
    // Tab order: username → password → Sign in → Sign in with browser; Enter submits.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'username');
    await page.keyboard.type('alice');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'secret');
    await page.keyboard.type(PASSWORDS.alice);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'submit');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'browser-signin');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await assertText(headline(page), 'Signed in as alice · mycompany');
    await shot(page, 'signed-in');
    await axe(page, 'signed in');
    // The refresh token is in the real keychain, Docker points at bosun, and the page never saw the token.
    const stored = await agent.identity.load();
    assert.match(stored?.secret ?? '', /^bosun_rt_/);
    const config = JSON.parse(readFileSync(agent.dockerConfigPath, 'utf8')) as { credHelpers?: Record<string, string> };
    assert.deepEqual(config.credHelpers, { '127.0.0.1:5000': 'bosun' });
    const seen = await page.evaluate(async () => {
      const b = (
        window as unknown as {
          bosun: { status: { get(): Promise<unknown> }; permissions: { get(): Promise<unknown> }; diagnostics: { get(): Promise<unknown> } };
        }
      ).bosun;
      return JSON.stringify([await b.status.get(), await b.permissions.get(), await b.diagnostics.get(), document.documentElement.outerHTML]);
    });
    assert.ok(!seen.includes(stored!.secret), 'the refresh token reached a page');
    await page.close();
    await signOut();
  });

  test('wrong password and non-member: the core’s words, focus back on the field', async () => {
    const page = await shell.open('signin');
    await signInWithPassword(page, 'alice', 'not-her-password');
    await assertText(message(page), 'the username or password/token was not accepted');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'secret');
    await shot(page, 'signin-wrong-password');
    await signInWithPassword(page, 'mallory', PASSWORDS.mallory);
    await assertText(message(page), /mallory is not a member of any of mycompany, partner/);
    await assertText(headline(page), 'Sign-in required by your organization');
    await axe(page, 'sign-in error');
    await page.close();
  });

  test('several allowed orgs: the picker appears, the chosen org binds the session; Switch organization re-binds it', async () => {
    const page = await shell.open('signin');
    await signInWithPassword(page, 'bob', PASSWORDS.bob);
    const picker = page.getByRole('group', { name: 'Organization for this session' });
    await picker.waitFor();
    await axe(page, 'org picker');
    await shot(page, 'signin-pick-org');
    await picker.getByLabel('partner').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await assertText(headline(page), 'Signed in as bob · partner');

    await page.getByRole('button', { name: 'Switch organization' }).click();
    await signInWithPassword(page, 'bob', PASSWORDS.bob);
    await picker.getByLabel('mycompany').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await assertText(headline(page), 'Signed in as bob · mycompany');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await assertText(headline(page), 'Sign-in required by your organization');
    await page.close();
  });

  test('browser sign-in: the code is shown, the verification page opens, approving it signs in', async () => {
    const page = await shell.open('signin');
    let opened: string | undefined;
    shell.whenBrowserOpens((url) => (opened = url));
    await page.getByRole('button', { name: 'Sign in with browser' }).click();
    const code = page.getByLabel('Sign-in code');
    await code.waitFor();
    assert.match((await code.textContent()) ?? '', /\S{4}-\S{4}/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'device-cancel');
    await axe(page, 'device code');
    await shot(page, 'signin-device-code');
    assert.ok(opened, 'the verification page was opened in the browser');
    const browser = await shell.context.newPage();
    await agent.approveDevice(browser, opened, 'alice');
    await assertText(browser.locator('body'), /approved|Approved|signed in/i);
    await shot(browser, 'device-verification-approved');
    await browser.close();
    await assertText(headline(page), 'Signed in as alice · mycompany', 20_000);
    await page.close();
  });

  test('browser sign-in with several qualifying orgs: the picker, then a second approval binds the chosen org', async () => {
    await agent.deps.core.logout();
    const page = await shell.open('signin');
    const urls: string[] = [];
    shell.whenBrowserOpens((url) => void urls.push(url));
    const browser = await shell.context.newPage();
    await page.getByRole('button', { name: 'Sign in with browser' }).click();
    await page.getByLabel('Sign-in code').waitFor();
    await agent.approveDevice(browser, urls[0]!, 'bob');
    const picker = page.getByRole('group', { name: 'Organization for this session' });
    await picker.waitFor({ timeout: 20_000 });
    await picker.getByLabel('partner').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#device:not([hidden])').waitFor();
    assert.equal(urls.length, 2, 'a second verification page for the chosen org');
    await agent.approveDevice(browser, urls[1]!, 'bob');
    await assertText(headline(page), 'Signed in as bob · partner', 20_000);
    await browser.close();
    await page.close();
  });

  test('organization permissions: the session org’s IAM categories and the policy sources, read-only', async () => {
    const core = agent.deps.core;
    const st = core.state.state;
    if (!(st.name === 'signed-in' && st.session.user === 'alice' && st.session.org === 'mycompany')) {
      await core.logout();
      assert.equal((await core.login('alice', PASSWORDS.alice)).kind, 'signed-in');
    }
    const page = await shell.open('permissions');
    await assertText(page.locator('#iam-summary'), 'Image Access Management is on for mycompany.');
    const rows = page.locator('#categories tbody tr');
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelectorAll('td')[0]?.textContent])), [
      ['Organization images', 'Allowed'],
      ['Docker Official Images', 'Allowed'],
      ['Verified Publisher images', 'Restricted'],
      ['Community images', 'Restricted'],
    ]);
    await assertText(page.locator('#policy-verdict'), /Sign-in to mycompany or partner is required/);
    await assertText(page.locator('#sources tbody'), /registry\.json/);
    assert.equal(await page.locator('input, select, textarea').count(), 0, 'read-only: nothing to edit');
    await axe(page, 'permissions');
    await shot(page, 'permissions');
    await page.close();
  });

  test('diagnostics: the doctor report, and Copy for IT puts the same text on the clipboard', async () => {
    const page = await shell.open('diagnostics');
    await page.locator('#checks li').first().waitFor();
    const ids = await page.locator('#checks li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.check));
    assert.deepEqual(ids, ['agent', 'registries', 'helper-path', 'docker-cli']);
    await assertText(page.locator('[data-check="helper-path"]'), /docker-credential-bosun is not on PATH/);
    await page.getByRole('button', { name: 'Copy for IT' }).click();
    await assertText(page.locator('#copy-result'), 'Copied. Paste it into your message to IT.');
    assert.match(shell.copied.at(-1)!, /^Bosun doctor — .*\n\n✔ Agent: Signed in as alice · mycompany/);
    await axe(page, 'diagnostics');
    await shot(page, 'diagnostics');
    await page.close();
  });

  test('about: says that quitting only stops the tray and the server still decides every pull', async () => {
    const page = await shell.open('about');
    await assertText(page.locator('#quit-note'), /Quitting Bosun only stops the tray icon\. .*the server still decides every pull/);
    await assertText(page.locator('#enforced'), 'Sign-in is enforced on this machine.');
    await axe(page, 'about');
    await shot(page, 'about');
    await page.close();
  });

  test('dark mode: the same pages pass axe (contrast included) with the dark palette', async () => {
    for (const name of ['signin', 'permissions'] as const) {
      const page = await shell.open(name);
      await page.emulateMedia({ colorScheme: 'dark' });
      await page
        .locator(name === 'signin' ? '#headline' : '#policy-verdict')
        .filter({ hasText: /\S/ })
        .waitFor();
      await axe(page, `${name} (dark)`);
      await shot(page, `${name}-dark`);
      await page.close();
    }
  });

  test('membership revoked on the server: the open window switches to signed out with the reason', async () => {
    const page = await shell.open('signin');
    await assertText(headline(page), 'Signed in as alice · mycompany');
    await agent.removeMember('alice', 'mycompany');
    await assertText(headline(page), 'Sign-in required by your organization');
    await assertText(page.locator('#detail'), /alice is no longer a member of mycompany/);
    await page.close();
  });

  test('the bridge refuses a malformed call with a real Error, and no page ever receives the stored secret', async () => {
    const page = await shell.open('signin');
    const err = await page.evaluate(() =>
      (window as unknown as { bosun: { signIn: { withPassword(u: string, s: string): Promise<unknown> } } }).bosun.signIn.withPassword('', 'x').then(
        () => 'resolved',
        (e: Error) => `${e.name}: ${e.message}`,
      ),
    );
    assert.match(err, /^IpcPayloadError: signin:password: invalid payload: \/username/);
    const html = await page.content();
    assert.ok(!/bosun_rt_/.test(html), 'no refresh token in the page');
    await page.close();
  });
});

async function assertText(locator: ReturnType<Page['locator']>, expected: string | RegExp, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = ((await locator.textContent().catch(() => '')) ?? '').trim();
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`expected ${String(expected)}, saw "${last}"`);
}
