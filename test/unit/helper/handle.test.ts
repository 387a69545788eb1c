// The credential-helper protocol in process (docs/helper.md): handle() over a scripted agent, every
// action and every error case, without spawning the bin. test/integration/agent/helper.test.ts runs
// the built bin against a real agent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentCallError, AgentUnavailableError } from '../../../src/agent/socket/client.js';
import { NOT_FOUND_MESSAGE } from '../../../src/core/dockerConfig/credentialHelperProtocol.js';
import { handle, USAGE, type HelperAgent } from '../../../src/helper/handle.js';

const HUB = 'https://index.docker.io/v1/';
const SIGN_IN = 'sign in to mycompany with Bosun: open Bosun from the tray or run `bosun login`';

interface Call {
  method: string;
  params: unknown;
}

/** An agent that answers each method with a value, or throws what it is given. */
function agent(answers: Record<string, unknown | (() => never)>, offline = { protected: false, explanation: SIGN_IN }): HelperAgent & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async ask<R>(method: string, params: unknown): Promise<R> {
      calls.push({ method, params });
      const a = answers[method];
      if (typeof a === 'function') return (a as () => never)();
      if (a === undefined) throw new Error(`unexpected call ${method}`);
      return a as R;
    },
    knownWithoutAgent: () => offline,
    version: () => 'docker-credential-bosun (Bosun) 1.2.3',
  };
}
const refused = (code: string, message: string) => () => {
  throw new AgentCallError({ code, message });
};
const down = () => {
  throw new AgentUnavailableError('no agent');
};

describe('handle(): the credential-helper protocol', () => {
  describe('get', () => {
    it('prints the credentials as JSON and asks with the trimmed server URL', async () => {
      const a = agent({ 'helper.get': { ServerURL: HUB, Username: '<token>', Secret: 's3cret' } });
      const r = await handle('get', `  ${HUB}  \n`, a);
      assert.deepEqual(r, { stdout: JSON.stringify({ ServerURL: HUB, Username: '<token>', Secret: 's3cret' }) + '\n', stderr: '', exitCode: 0 });
      assert.deepEqual(a.calls, [{ method: 'helper.get', params: { serverURL: HUB } }]);
    });

    it('an empty server URL fails without asking the agent', async () => {
      const a = agent({});
      assert.deepEqual(await handle('get', ' \n', a), { stdout: 'no server URL on stdin\n', stderr: '', exitCode: 1 });
      assert.deepEqual(a.calls, []);
    });

    it('not found: exactly the sentinel on stdout, exit 1, nothing on stderr', async () => {
      const r = await handle('get', 'registry.example.com', agent({ 'helper.get': refused('not-found', NOT_FOUND_MESSAGE) }));
      assert.deepEqual(r, { stdout: `${NOT_FOUND_MESSAGE}\n`, stderr: '', exitCode: 1 });
    });

    it('a protected registry with nobody signed in: the explanation on stdout and stderr', async () => {
      const r = await handle('get', HUB, agent({ 'helper.get': refused('no-credentials', SIGN_IN) }));
      assert.deepEqual(r, { stdout: `${SIGN_IN}\n`, stderr: `${SIGN_IN}\n`, exitCode: 1 });
    });

    it('no agent, a registry Bosun does not know: the sentinel', async () => {
      const r = await handle('get', 'registry.example.com', agent({ 'helper.get': down }));
      assert.deepEqual(r, { stdout: `${NOT_FOUND_MESSAGE}\n`, stderr: '', exitCode: 1 });
    });

    it('no agent, a registry Bosun protects: the explanation says the agent is not running', async () => {
      const r = await handle('get', HUB, agent({ 'helper.get': down }, { protected: true, explanation: SIGN_IN }));
      const why = `${SIGN_IN} (the Bosun agent is not running)\n`;
      assert.deepEqual(r, { stdout: why, stderr: why, exitCode: 1 });
    });

    it('any other failure: its message on stdout and stderr', async () => {
      const r = await handle(
        'get',
        HUB,
        agent({
          'helper.get': () => {
            throw new Error('boom');
          },
        }),
      );
      assert.deepEqual(r, { stdout: 'boom\n', stderr: 'boom\n', exitCode: 1 });
    });
  });

  describe('store', () => {
    const input = JSON.stringify({ ServerURL: HUB, Username: 'ann', Secret: 'pw' });

    it('passes the credentials to the agent and prints nothing', async () => {
      const a = agent({ 'helper.store': null });
      assert.deepEqual(await handle('store', input, a), { stdout: '', stderr: '', exitCode: 0 });
      assert.deepEqual(a.calls, [{ method: 'helper.store', params: { serverURL: HUB, username: 'ann', secret: 'pw' } }]);
    });

    for (const [what, stdin] of <[string, string][]>[
      ['not JSON', 'ann:pw'],
      ['a field missing', JSON.stringify({ ServerURL: HUB, Username: 'ann' })],
      ['a field not a string', JSON.stringify({ ServerURL: HUB, Username: 'ann', Secret: 1 })],
      ['JSON null', 'null'],
    ]) {
      it(`input ${what}: says what it expects, without asking the agent`, async () => {
        const a = agent({});
        const r = await handle('store', stdin, a);
        assert.deepEqual(r, { stdout: 'store expects {"ServerURL","Username","Secret"} as JSON on stdin\n', stderr: '', exitCode: 1 });
        assert.deepEqual(a.calls, []);
      });
    }

    it('refused by the agent: its reason on stdout and stderr', async () => {
      const why = 'ann is not a member of mycompany';
      const r = await handle('store', input, agent({ 'helper.store': refused('denied', why) }));
      assert.deepEqual(r, { stdout: `${why}\n`, stderr: `${why}\n`, exitCode: 1 });
    });

    it('no agent, a registry Bosun does not know: refused in words, not with the sentinel', async () => {
      const r = await handle('store', input, agent({ 'helper.store': down }));
      assert.deepEqual(r, { stdout: 'the Bosun agent is not running; start Bosun, then run docker login again\n', stderr: '', exitCode: 1 });
    });

    it('no agent, a registry Bosun protects: the explanation', async () => {
      const r = await handle('store', input, agent({ 'helper.store': down }, { protected: true, explanation: SIGN_IN }));
      const why = `${SIGN_IN} (the Bosun agent is not running)\n`;
      assert.deepEqual(r, { stdout: why, stderr: why, exitCode: 1 });
    });
  });

  describe('erase', () => {
    it('asks the agent with the trimmed server URL and prints nothing', async () => {
      const a = agent({ 'helper.erase': null });
      assert.deepEqual(await handle('erase', `${HUB}\n`, a), { stdout: '', stderr: '', exitCode: 0 });
      assert.deepEqual(a.calls, [{ method: 'helper.erase', params: { serverURL: HUB } }]);
    });

    it('a registry Bosun does not manage: the sentinel', async () => {
      const r = await handle('erase', 'registry.example.com', agent({ 'helper.erase': refused('not-found', NOT_FOUND_MESSAGE) }));
      assert.deepEqual(r, { stdout: `${NOT_FOUND_MESSAGE}\n`, stderr: '', exitCode: 1 });
    });
  });

  describe('list', () => {
    it("prints the agent's registries as JSON", async () => {
      const r = await handle('list', '', agent({ 'helper.list': { 'index.docker.io': 'ann' } }));
      assert.deepEqual(r, { stdout: '{"index.docker.io":"ann"}\n', stderr: '', exitCode: 0 });
    });

    it('no agent: an empty object, exit 0', async () => {
      assert.deepEqual(await handle('list', '', agent({ 'helper.list': down })), { stdout: '{}\n', stderr: '', exitCode: 0 });
    });

    it('refused by the agent: its reason', async () => {
      const r = await handle('list', '', agent({ 'helper.list': refused('internal', 'broken') }));
      assert.deepEqual(r, { stdout: 'broken\n', stderr: 'broken\n', exitCode: 1 });
    });
  });

  it('version prints one line without asking the agent', async () => {
    const a = agent({});
    assert.deepEqual(await handle('version', '', a), { stdout: 'docker-credential-bosun (Bosun) 1.2.3\n', stderr: '', exitCode: 0 });
    assert.deepEqual(a.calls, []);
  });

  for (const action of [undefined, 'delete']) {
    it(`${action ?? 'no action'}: the usage line, exit 1`, async () => {
      assert.deepEqual(await handle(action, '', agent({})), { stdout: `${USAGE}\n`, stderr: '', exitCode: 1 });
    });
  }
});
