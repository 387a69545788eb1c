// A stand-in Docker credential helper for tests (the agent's real docker-credential-bosun comes
// with the agent issue). It speaks the credential-helper protocol (get/store/erase/list on stdin)
// and keeps credentials in a JSON file in the test's temporary directory, whose path is written
// into the script itself, so nothing travels through the environment or argv.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StandInHelper {
  /** Helper name for credHelpers: the program is docker-credential-<name>. */
  name: string;
  binDir: string;
  /** Sets what `get` returns for `serverUrl` (use username "<token>" for a refresh token). */
  set(serverUrl: string, username: string, secret: string): void;
  remove(serverUrl: string): void;
  read(): Record<string, { Username: string; Secret: string }>;
}

export function installStandInHelper(dir: string, name = 'bosuntest'): StandInHelper {
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  const store = join(dir, `credentials-${name}.json`);
  writeFileSync(store, '{}\n', { mode: 0o600 });
  const script = `#!${process.execPath}
const fs = require('node:fs');
const store = ${JSON.stringify(store)};
const read = () => JSON.parse(fs.readFileSync(store, 'utf8'));
const write = (v) => fs.writeFileSync(store, JSON.stringify(v), { mode: 0o600 });
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const key = input.trim();
  const all = read();
  switch (process.argv[2]) {
    case 'get': {
      const c = all[key];
      if (!c) { process.stdout.write('credentials not found in native keychain'); process.exit(1); }
      process.stdout.write(JSON.stringify({ ServerURL: key, Username: c.Username, Secret: c.Secret }));
      break;
    }
    case 'store': { const c = JSON.parse(input); all[c.ServerURL] = { Username: c.Username, Secret: c.Secret }; write(all); break; }
    case 'erase': delete all[key]; write(all); break;
    case 'list': process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.Username])))); break;
    default: process.stderr.write('unknown command'); process.exit(1);
  }
});
`;
  const program = join(binDir, `docker-credential-${name}`);
  writeFileSync(program, script, { mode: 0o700 });
  chmodSync(program, 0o700);
  const read = (): Record<string, { Username: string; Secret: string }> =>
    JSON.parse(readFileSync(store, 'utf8')) as Record<string, { Username: string; Secret: string }>;
  const write = (v: Record<string, { Username: string; Secret: string }>): void => writeFileSync(store, JSON.stringify(v), { mode: 0o600 });
  return {
    name,
    binDir,
    set(serverUrl, username, secret) {
      const all = read();
      all[serverUrl] = { Username: username, Secret: secret };
      write(all);
    },
    remove(serverUrl) {
      const all = read();
      delete all[serverUrl];
      write(all);
    },
    read,
  };
}
