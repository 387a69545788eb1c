import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentSocketPath, bosunHome, logsDir, socketDir, type PathContext } from '../../../src/agent/paths.js';

const ctx = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}, home = '/home/ann'): PathContext => ({ env, platform, home, user: 'ann' });

describe('agent paths', () => {
  it('BOSUN_HOME wins on every OS', () => {
    for (const p of ['linux', 'darwin', 'win32'] as const) assert.equal(bosunHome(ctx(p, { BOSUN_HOME: '/x/state' })), '/x/state');
  });
  it('Linux follows XDG_STATE_HOME, ignoring a relative one', () => {
    assert.equal(bosunHome(ctx('linux')), '/home/ann/.local/state/bosun');
    assert.equal(bosunHome(ctx('linux', { XDG_STATE_HOME: '/s' })), '/s/bosun');
    assert.equal(bosunHome(ctx('linux', { XDG_STATE_HOME: 'rel' })), '/home/ann/.local/state/bosun');
  });
  it('macOS and Windows use their per-user app data folders', () => {
    assert.equal(bosunHome(ctx('darwin', {}, '/Users/ann')), '/Users/ann/Library/Application Support/Bosun');
    assert.equal(bosunHome(ctx('win32', { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'C:\\Users\\ann')), 'C:\\Users\\ann\\AppData\\Local\\Bosun');
    assert.equal(logsDir(ctx('win32', { LOCALAPPDATA: 'C:\\L' })), 'C:\\L\\Bosun\\logs');
    assert.equal(logsDir(ctx('darwin', {})), '/home/ann/Library/Logs/Bosun', 'macOS: where Console.app looks');
    assert.equal(logsDir(ctx('darwin', { BOSUN_HOME: '/tmp/b' })), '/tmp/b/logs', 'BOSUN_HOME keeps the logs with the rest');
  });
  it('the socket lives in a run/ dir under the state dir; Windows uses a per-user pipe', () => {
    assert.equal(socketDir(ctx('linux', { BOSUN_HOME: '/b' })), '/b/run');
    assert.equal(agentSocketPath(ctx('linux', { BOSUN_HOME: '/b' })), '/b/run/agent.sock');
    assert.equal(agentSocketPath(ctx('win32', { LOCALAPPDATA: 'C:\\L' })), '\\\\.\\pipe\\bosun-agent-ann');
    const a = agentSocketPath(ctx('win32', { BOSUN_HOME: 'C:\\t1' }));
    const b = agentSocketPath(ctx('win32', { BOSUN_HOME: 'C:\\t2' }));
    assert.match(a, /^\\\\\.\\pipe\\bosun-agent-ann-[0-9a-f]{12}$/);
    assert.notEqual(a, b);
  });
});
