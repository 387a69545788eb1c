// The one dispatch every `bosun` command group uses: --help exits 0 with the usage on stdout; a
// missing or unknown command exits 2 with the usage on stderr; a command gets the arguments after
// its name; a command without help of its own answers --help with the group's usage.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch, groupUsage, type CommandGroup } from '../../../src/cli/commandTable.js';
import { bosunCommands } from '../../../src/cli/commands.js';
import { policyCommands } from '../../../src/cli/commands/policy.js';
import { serverCommands } from '../../../src/cli/commands/server.js';

function group(ran: string[][]): CommandGroup {
  return {
    name: 'bosun demo',
    noun: 'subcommand',
    commands: [
      { name: 'own', usage: '[--json]', summary: 'prints its own help', run: async (argv) => (ran.push(['own', ...argv]), 7) },
      { name: 'plain', usage: '--data DIR', summary: 'has no help of its own', groupHelp: true, run: async (argv) => (ran.push(['plain', ...argv]), 0) },
    ],
  };
}

function captureConsole(t: TestContext): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (s: string) => void out.push(s));
  t.mock.method(console, 'error', (s: string) => void err.push(s));
  return { out, err };
}

test('--help, -h and help print the usage on stdout and exit 0', async (t) => {
  const io = captureConsole(t);
  for (const arg of ['--help', '-h', 'help']) assert.equal(await dispatch(group([]), [arg]), 0);
  assert.equal(io.out.length, 3);
  assert.match(io.out[0] ?? '', /^Usage:\n {2}bosun demo own \[--json\] +prints its own help\n {2}bosun demo plain --data DIR +has no help/);
  assert.deepEqual(io.err, []);
});

test('no command, or an unknown one, is a usage error: exit 2, the usage on stderr', async (t) => {
  const io = captureConsole(t);
  assert.equal(await dispatch(group([]), []), 2);
  assert.equal(await dispatch(group([]), ['frob', '--help']), 2);
  assert.equal(io.err[0], groupUsage(group([])));
  assert.match(io.err[1] ?? '', /^bosun demo: unknown subcommand 'frob'\.\n\nUsage:/);
  assert.deepEqual(io.out, []);
});

test('a command gets the arguments after its name and its exit code is returned', async (t) => {
  captureConsole(t);
  const ran: string[][] = [];
  assert.equal(await dispatch(group(ran), ['own', '--help', 'x']), 7);
  assert.equal(await dispatch(group(ran), ['plain', '--data', 'd']), 0);
  assert.deepEqual(ran, [
    ['own', '--help', 'x'],
    ['plain', '--data', 'd'],
  ]);
});

test('--help after a command without help of its own prints the group usage, exit 0, and runs nothing', async (t) => {
  const io = captureConsole(t);
  const ran: string[][] = [];
  assert.equal(await dispatch(group(ran), ['plain', '--data', 'd', '-h']), 0);
  assert.deepEqual(ran, []);
  assert.equal(io.out[0], groupUsage(group([])));
});

test('every group lists each of its commands with its usage', () => {
  for (const g of [bosunCommands, policyCommands, serverCommands]) {
    const usage = groupUsage(g);
    for (const c of g.commands) assert.ok(usage.includes(`${g.name} ${c.name}`), `${g.name} ${c.name}`);
  }
  assert.match(groupUsage(policyCommands), /bosun policy check <file> \[--json\]/);
  assert.match(groupUsage(serverCommands), /--init-admin-password-file/);
});
