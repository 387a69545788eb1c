// Runs inside a real Secret Service session (see test/helpers/keyring.ts); not a standalone test file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import keytar from 'keytar';
import { CURRENT_ACCOUNT, entryAccount, KeychainIdentityStore } from '../../../src/agent/keychain.js';
import type { StoredIdentity } from '../../../src/agent/ports.js';

if (process.env.BOSUN_IN_KEYRING !== '1') throw new Error('run through test/integration/agent/keychain.test.ts');

const service = 'bosun-test';
const ann: StoredIdentity = { kind: 'refresh', secret: 'rt-ann-0123456789', session: { server: 'http://127.0.0.1:1', user: 'ann', org: 'mycompany' } };
const annOther: StoredIdentity = { kind: 'refresh', secret: 'rt-ann-other-org', session: { ...ann.session, org: 'othercorp' } };

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out = statSync(p).isDirectory() ? out.concat(filesUnder(p)) : out.concat(p);
  }
  return out;
}

describe('KeychainIdentityStore (real Secret Service)', () => {
  const store = new KeychainIdentityStore(service);

  it('loads nothing before a sign-in', async () => {
    assert.equal(await store.load(), undefined);
  });

  it('saves one entry per server+user+org and an index without the secret', async () => {
    await store.save(ann);
    assert.deepEqual(await store.load(), ann);
    assert.equal(await keytar.getPassword(service, entryAccount(ann.session)), ann.secret);
    const index = await keytar.getPassword(service, CURRENT_ACCOUNT);
    assert.ok(index && !index.includes(ann.secret), 'the index holds no secret');
  });

  it('the current session is the last saved; erasing another keeps it', async () => {
    await store.save(annOther);
    assert.deepEqual(await store.load(), annOther);
    await store.erase(ann.session);
    assert.deepEqual(await store.load(), annOther);
    assert.equal(await keytar.getPassword(service, entryAccount(ann.session)), null);
  });

  it('erasing the current session leaves nothing behind', async () => {
    await store.erase(annOther.session);
    assert.equal(await store.load(), undefined);
    assert.deepEqual(await keytar.findCredentials(service), []);
  });

  it('a damaged index is dropped, not trusted', async () => {
    await keytar.setPassword(service, CURRENT_ACCOUNT, '{not json');
    assert.equal(await store.load(), undefined);
    assert.equal(await keytar.getPassword(service, CURRENT_ACCOUNT), null);
  });

  it('secrets never land in plain files under HOME or BOSUN_HOME', async () => {
    await store.save(ann);
    for (const root of [process.env.HOME!, process.env.BOSUN_HOME!]) {
      for (const f of filesUnder(root)) assert.ok(!readFileSync(f).includes(ann.secret), `${f} holds the secret in the clear`);
    }
    await store.erase(ann.session);
  });
});
