#!/usr/bin/env node
// The `bosun` command: dispatches to the command table (src/cli/commands.ts).
import { bosunCommands } from './commands.js';
import { dispatch } from './commandTable.js';
import { packageVersion } from '../common/packageRoot.js';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === 'version') {
    console.log(`bosun ${packageVersion()}`);
    return 0;
  }
  return dispatch(bosunCommands, argv);
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
