// `bosun policy <subcommand>`: one line per subcommand, each loaded on use.
import { dispatch, type CommandGroup } from '../commandTable.js';

export const policyCommands: CommandGroup = {
  name: 'bosun policy',
  noun: 'subcommand',
  commands: [
    {
      name: 'check',
      usage: '<file> [--json]',
      summary: 'validate one registry.json-format file (exit 0 valid, 1 invalid)',
      run: async (argv) => (await import('./policy/check.js')).run(argv),
    },
    {
      name: 'show',
      usage: '[--json]',
      summary: 'show the effective policy on this machine and every source looked at',
      run: async (argv) => (await import('./policy/show.js')).run(argv),
    },
    {
      name: 'generate',
      usage: '--format F',
      summary: 'write allowedOrgs for MDM (registry-json, mobileconfig, reg) from --org names',
      run: async (argv) => (await import('./policyGenerate.js')).run(argv),
    },
  ],
};

export const run = (argv: string[]): Promise<number> => dispatch(policyCommands, argv);
