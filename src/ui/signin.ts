// The sign-in window: status, sign-in with username and password or token, browser sign-in
// (RFC 8628 device flow: shows the code, opens the verification page), and the org picker when
// several allowed orgs qualify. Every error text comes from the agent core.
import type { SignInResult, StatusView } from '../../electron/ipcContract.js';
import { bridge, byId, el, errorText, renderStatus } from './common.js';

type Method = 'password' | 'browser';
let lastMethod: Method = 'password';
/** While signed in, the form shows only after "Switch organization". */
let switching = false;

const form = byId<HTMLFormElement>('password-form');
const username = byId<HTMLInputElement>('username');
const secret = byId<HTMLInputElement>('secret');
const submit = byId<HTMLButtonElement>('submit');
const browserButton = byId<HTMLButtonElement>('browser-signin');
const picker = byId<HTMLFieldSetElement>('org-picker');
const message = byId('message');
const device = byId('device');

function showStatus(s: StatusView): void {
  renderStatus(s);
  const signedIn = s.user !== undefined;
  byId('session-actions').hidden = !signedIn;
  byId('switch-org').hidden = !(signedIn && (s.allowedOrgs.length > 1 || !s.enforced));
  byId('signin-section').hidden = signedIn && !switching;
  byId('signin-heading').textContent = signedIn ? 'Switch organization: sign in and choose' : 'Sign in';
  const busy = s.state === 'signing-in';
  submit.disabled = busy;
  browserButton.disabled = busy || s.state === 'policy-error';
}

function chosenOrg(): string | undefined {
  if (picker.hidden) return undefined;
  return document.querySelector<HTMLInputElement>('input[name="org"]:checked')?.value;
}

function showPicker(orgs: string[]): void {
  const box = byId('org-options');
  box.replaceChildren();
  orgs.forEach((org, i) => {
    const div = el('div');
    const input = el('input');
    input.type = 'radio';
    input.name = 'org';
    input.id = `org-${i}`;
    input.value = org;
    input.checked = i === 0;
    const label = el('label', org);
    label.htmlFor = input.id;
    div.append(input, label);
    box.append(div);
  });
  picker.hidden = false;
  submit.textContent = 'Continue';
  message.textContent = '';
  document.querySelector<HTMLInputElement>('input[name="org"]')?.focus();
}

function resetPicker(): void {
  picker.hidden = true;
  submit.textContent = 'Sign in';
}

function handleOutcome(outcome: SignInResult): void {
  device.hidden = true;
  if (outcome.kind === 'signed-in') {
    switching = false;
    byId('signin-section').hidden = true;
    resetPicker();
    secret.value = '';
    message.textContent = '';
    byId('headline').textContent = `Signed in as ${outcome.user} · ${outcome.org}`;
    byId('headline').focus();
  } else if (outcome.kind === 'pick-org') {
    showPicker(outcome.orgs);
  } else {
    message.textContent = outcome.message;
    if (lastMethod === 'password') secret.focus();
    else browserButton.focus();
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const org = chosenOrg();
  if (lastMethod === 'browser' && org) return void signInWithBrowser(org);
  lastMethod = 'password';
  if (!username.value.trim() || !secret.value) {
    message.textContent = !username.value.trim() ? 'Enter your username.' : 'Enter your password or access token.';
    (!username.value.trim() ? username : secret).focus();
    return;
  }
  message.textContent = '';
  submit.disabled = true;
  bridge()
    .signIn.withPassword(username.value.trim(), secret.value, org)
    .then(handleOutcome, (err: unknown) => (message.textContent = errorText(err)))
    .finally(() => (submit.disabled = false));
});

function signInWithBrowser(org?: string): void {
  lastMethod = 'browser';
  message.textContent = '';
  browserButton.disabled = true;
  bridge()
    .signIn.withBrowser(org)
    .then(handleOutcome, (err: unknown) => (message.textContent = errorText(err)))
    .finally(() => {
      browserButton.disabled = false;
      device.hidden = true;
    });
}

browserButton.addEventListener('click', () => {
  resetPicker();
  signInWithBrowser();
});

bridge().signIn.onDevicePrompt((p) => {
  byId('user-code').textContent = p.userCode;
  byId('verification-uri').textContent = p.verificationUri;
  byId('open-verification').dataset.url = p.verificationUri;
  device.hidden = false;
  byId('device-cancel').focus();
});
byId('open-verification').addEventListener('click', (e) => {
  const url = (e.currentTarget as HTMLElement).dataset.url;
  if (url)
    bridge()
      .signIn.openVerificationPage(url)
      .catch((err: unknown) => (message.textContent = errorText(err)));
});
byId('device-cancel').addEventListener('click', () => void bridge().signIn.cancelBrowser());

byId('sign-out').addEventListener('click', () => {
  bridge()
    .session.signOut()
    .then(
      (s) => {
        showStatus(s);
        username.focus();
      },
      (err: unknown) => (message.textContent = errorText(err)),
    );
});
byId('switch-org').addEventListener('click', () => {
  switching = true;
  resetPicker();
  byId('signin-section').hidden = false;
  username.focus();
});

bridge().status.onChange(showStatus);
bridge()
  .status.get()
  .then(showStatus, (err: unknown) => (message.textContent = errorText(err)));
