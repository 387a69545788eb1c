// The keychain adapter against a real Secret Service (gnome-keyring under dbus-run-session). The
// assertions live in keychain.inKeyring.ts, which runs inside the keyring's D-Bus session.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { keyringUnavailable, runTestInKeyring } from '../../helpers/keyring.js';
import { makeSandbox } from '../../helpers/sandbox.js';

const why = keyringUnavailable();

it('KeychainIdentityStore against gnome-keyring', { skip: why ?? false, timeout: 90_000 }, async () => {
  const sb = makeSandbox();
  try {
    const r = await runTestInKeyring(join(fileURLToPath(new URL('.', import.meta.url)), 'keychain.inKeyring.ts'), sb.env);
    console.log(
      r.output
        .split('\n')
        .map((l) => `  [keyring] ${l}`)
        .join('\n'),
    );
    assert.equal(r.code, 0, 'the in-keyring tests failed (output above)');
    assert.match(r.output, /ℹ pass [1-9]/);
    assert.match(r.output, /ℹ fail 0/);
  } finally {
    sb.cleanup();
  }
});
