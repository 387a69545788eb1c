// The UI suite runs inside a real Secret Service (gnome-keyring under dbus-run-session) so the agent
// under the pages keeps its identity in a real keychain; the assertions live in shell.inKeyring.ts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { keyringUnavailable, runTestInKeyring } from '../helpers/keyring.js';
import { makeSandbox } from '../helpers/sandbox.js';
import { CHROMIUM } from './harness/shellHarness.js';

const why = keyringUnavailable() ?? (existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (Debian package chromium)`);

it('Bosun pages in Chromium, over the real agent core, keychain and server', { skip: why ?? false, timeout: 240_000 }, async () => {
  const sb = makeSandbox('bosun-ui-');
  try {
    const r = await runTestInKeyring(join(import.meta.dirname, 'shell.inKeyring.ts'), sb.env, 220_000);
    console.log(
      r.output
        .split('\n')
        .map((l) => `  [ui] ${l}`)
        .join('\n'),
    );
    assert.equal(r.code, 0, 'the UI tests failed (output above)');
    assert.match(r.output, /ℹ pass [1-9]/);
    assert.match(r.output, /ℹ fail 0/);
  } finally {
    sb.cleanup();
  }
});
