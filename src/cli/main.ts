#!/usr/bin/env node
// The `bosun` command: a thin dispatcher. Each subcommand lives in its own module and is loaded
// only when used, so `bosun policy check` does not pay for the server's dependencies.
import { commands } from './commands.js';
import { packageVersion } from '../common/packageRoot.js';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`);
  return ['Usage: bosun <command> [options]', '', 'Commands:', ...lines, '', 'Run `bosun <command> --help` for details.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    console.log(`bosun ${packageVersion()}`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`bosun: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`bosun: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
