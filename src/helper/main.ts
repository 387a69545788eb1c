#!/usr/bin/env node
// docker-credential-bosun: the Docker credential-helper protocol (docs/helper.md), answered by the
// running Bosun agent over its socket. This bin only moves argv and stdin into handle() and its
// answer out to stdout, stderr and the exit code. It holds no secrets and imports only Node built-ins
// and a few small modules, so its bundle starts about as fast as `node -e 0`.
import { runningAgent } from './agentConnection.js';
import { handle } from './handle.js';

/** Only these actions take input on stdin (docs/helper.md); the others answer without waiting for it. */
const READS_STDIN = new Set(['get', 'store', 'erase']);

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => (data += d));
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}

async function main(action: string | undefined): Promise<void> {
  const stdin = action && READS_STDIN.has(action) ? await readStdin() : '';
  const result = await handle(action, stdin, runningAgent);
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

// No top-level await: the bundle is CommonJS (scripts/build.mjs).
main(process.argv[2]).catch((err: unknown) => {
  // Only reading stdin can fail here; the protocol's error channel is stdout, with exit 1.
  process.stdout.write((err instanceof Error ? err.message : String(err)) + '\n');
  process.exitCode = 1;
});
