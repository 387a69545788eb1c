import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { agentSocketPath, currentPathContext } from '../../../src/agent/paths.js';
import { AgentCallError, AgentImpostorError, AgentUnavailableError, callAgent } from '../../../src/agent/socket/client.js';
import { writeAgentKey } from '../../../src/agent/socket/handshake.js';
import { SocketMethodError } from '../../../src/agent/socket/protocol.js';
import { AgentAlreadyRunningError, AgentSocketServer } from '../../../src/agent/socket/server.js';
import { validatorFor } from '../../../src/common/schemas.js';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';

function rawExchange(path: string, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createConnection(path);
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (out += d));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.on('connect', () => s.write(payload));
    setTimeout(() => s.end(), 500);
  });
}

describe('agent socket', () => {
  let sb: Sandbox;
  let path: string;
  let server: AgentSocketServer;
  const errors: string[] = [];

  before(async () => {
    sb = makeSandbox();
    path = agentSocketPath({ ...currentPathContext(), env: sb.env });
    server = new AgentSocketServer(path, { maxLineBytes: 1024, onError: (m, e) => errors.push(`${m}:${e.code}`) });
    server.register<{ serverURL: string }, string>('echo.url', (p) => p.serverURL.toUpperCase(), {
      params: validatorFor('agent-socket.schema.json#/$defs/helperServer'),
    });
    server.register('always.denied', () => {
      throw new SocketMethodError('denied', 'no way', { protectedRegistry: true });
    });
    server.register('broken', () => {
      throw new Error('boom');
    });
    server.register('coded', () => {
      throw Object.assign(new Error('bad thing'), { code: 'bad-params' });
    });
    await server.listen();
  });
  after(async () => {
    await server.close();
    sb.cleanup();
  });

  it('answers a registered method and validates its params', async () => {
    assert.equal(await callAgent(path, 'echo.url', { serverURL: 'reg.example:5000' }), 'REG.EXAMPLE:5000');
    await assert.rejects(callAgent(path, 'echo.url', { serverURL: 1 }), (e: AgentCallError) => e.code === 'invalid-params' && /serverURL/.test(e.message));
    await assert.rejects(callAgent(path, 'echo.url', { serverURL: 'x', extra: 1 }), (e: AgentCallError) => e.code === 'invalid-params');
  });

  it('returns typed errors with data, unknown methods, and internal failures', async () => {
    await assert.rejects(
      callAgent(path, 'always.denied'),
      (e: AgentCallError) => e.code === 'denied' && e.message === 'no way' && (e.error.data as { protectedRegistry: boolean }).protectedRegistry,
    );
    await assert.rejects(callAgent(path, 'nope'), (e: AgentCallError) => e.code === 'unknown-method');
    await assert.rejects(callAgent(path, 'broken'), (e: AgentCallError) => e.code === 'internal' && e.message === 'boom');
    await assert.rejects(callAgent(path, 'coded'), (e: AgentCallError) => e.code === 'bad-params' && e.message === 'bad thing');
  });

  it('answers pipelined requests in order, and rejects bad JSON and bad envelopes', async () => {
    const out = await rawExchange(
      path,
      '{"id":1,"method":"echo.url","params":{"serverURL":"a"}}\nnot json\n{"id":"x","method":""}\n{"id":3,"method":"echo.url","params":{"serverURL":"b"}}\n',
    );
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: unknown; result?: unknown; error?: { code: string } });
    assert.deepEqual(
      lines.map((l) => l.id),
      [1, null, 'x', 3],
    );
    assert.equal(lines[0]!.result, 'A');
    assert.equal(lines[1]!.error!.code, 'parse-error');
    assert.equal(lines[2]!.error!.code, 'invalid-request');
    assert.equal(lines[3]!.result, 'B');
  });

  it('refuses an oversize line and closes the connection', async () => {
    const out = await rawExchange(path, JSON.stringify({ id: 9, method: 'echo.url', params: { serverURL: 'x'.repeat(5000) } }) + '\n');
    const resp = JSON.parse(out.trim()) as { id: null; error: { code: string } };
    assert.equal(resp.error.code, 'too-large');
    assert.ok(errors.includes('(unknown):too-large'));
  });

  it('only its own user can reach it: private dir and socket', { skip: process.platform === 'win32' && 'named pipes are per-user by name' }, () => {
    assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it(
    'another OS user cannot connect',
    { skip: (process.getuid?.() !== 0 || spawnSync('runuser', ['--version']).status !== 0) && 'needs root and runuser to become another user' },
    () => {
      // Open every parent, so only Bosun's own 0700 dir and 0600 socket stand in the way.
      chmodSync(sb.dir, 0o755);
      chmodSync(sb.bosunHome, 0o755);
      const probe = `require('net').createConnection(${JSON.stringify(path)}).on('connect',()=>{console.log('connected');process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(0)})`;
      const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', probe], { encoding: 'utf8' });
      assert.match(r.stdout.trim(), /^(EACCES|EPERM)$/, `stdout=${r.stdout} stderr=${r.stderr}`);
    },
  );

  it('a second agent on the same path is refused; a stale socket is replaced', async () => {
    await assert.rejects(new AgentSocketServer(path).listen(), AgentAlreadyRunningError);
    const stalePath = join(sb.bosunHome, 'stale', 'agent.sock');
    const first = new AgentSocketServer(stalePath);
    first.register('ping', () => 'pong');
    await first.listen();
    // Simulate a crash: the socket file stays, nobody listens.
    await first.close().catch(() => undefined);
    if (!statSync(stalePath, { throwIfNoEntry: false })) {
      // Node removes the socket on close; recreate a stale one by binding and killing a child.
      spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stalePath)},()=>process.kill(process.pid,'SIGKILL'))`]);
    }
    assert.ok(statSync(stalePath).isSocket(), 'a stale socket exists');
    const second = new AgentSocketServer(stalePath);
    second.register('ping', () => 'pong');
    await second.listen();
    assert.equal(await callAgent(stalePath, 'ping'), 'pong');
    await second.close();
  });

  it('a missing agent is AgentUnavailableError; a non-socket in the way is refused', async () => {
    await assert.rejects(callAgent(join(sb.bosunHome, 'none.sock'), 'ping'), AgentUnavailableError);
    const file = join(sb.bosunHome, 'run2', 'agent.sock');
    spawnSync('mkdir', ['-p', join(sb.bosunHome, 'run2')]);
    writeFileSync(file, 'x');
    chmodSync(join(sb.bosunHome, 'run2'), 0o755);
    await assert.rejects(new AgentSocketServer(file).listen(), /not a socket/);
    assert.equal(statSync(join(sb.bosunHome, 'run2')).mode & 0o777, 0o700, 'a too-open socket dir is tightened');
  });

  it('the agent proves itself before a client sends anything: an impostor on the path gets only the challenge', async () => {
    const dir = join(sb.bosunHome, 'impostor');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fake = join(dir, 'agent.sock');
    // The impostor cannot read the real agent's key; it has one of its own (or none at all).
    writeAgentKey(join(dir, 'agent.key'));
    const received: string[] = [];
    const impostor = createServer((c) => {
      c.setEncoding('utf8');
      c.on('data', (d: string) => {
        received.push(d);
        c.write(JSON.stringify({ id: 0, result: { proof: 'made-up' } }) + '\n');
      });
    });
    await new Promise<void>((r) => impostor.listen(fake, r));
    try {
      await assert.rejects(
        callAgent(fake, 'helper.store', { serverURL: 'reg.example', username: 'alice', secret: 'the-password' }),
        (e: unknown) => e instanceof AgentImpostorError && /something other than your Bosun agent/.test((e as Error).message),
      );
      const all = received.join('');
      assert.match(all, /"method":"agent.hello"/);
      assert.doesNotMatch(all, /the-password|helper\.store/, 'nothing but the challenge reached the impostor');
    } finally {
      await new Promise<void>((r) => impostor.close(() => r()));
    }
  });

  it('the agent key is private while the agent runs, and gone when it stops', async () => {
    const dir = join(sb.bosunHome, 'keyed');
    const p = join(dir, 'agent.sock');
    const agent = new AgentSocketServer(p);
    agent.register('ping', () => 'pong');
    await agent.listen();
    assert.equal(statSync(join(dir, 'agent.key')).mode & 0o777, 0o600);
    assert.equal(await callAgent(p, 'ping'), 'pong');
    await agent.close();
    assert.equal(existsSync(join(dir, 'agent.key')), false);
    await assert.rejects(callAgent(p, 'ping'), /not running \(no agent key/);
  });
});
