// `bosun server <subcommand>`: the subcommands live with the server; this table only dispatches.
// Their modules print no help of their own, so `--help` after any of them prints this usage.
import { dispatch, type CommandGroup } from '../commandTable.js';
import { notInWorkstationInstall } from '../workstationInstall.js';

export const serverCommands: CommandGroup = {
  name: 'bosun server',
  noun: 'subcommand',
  commands: [
    {
      name: 'start',
      usage: '[--data DIR] [--listen HOST:PORT] [--public-url URL] [--init-admin NAME [--init-admin-password-file FILE]]',
      summary:
        'Runs the server in the foreground (SQLite store in DIR; 127.0.0.1 by default).\n--init-admin creates a superuser on first start; the password comes from FILE or stdin.',
      groupHelp: true,
      run: async (argv) => (await import('../../server/cli/startCommand.js')).runStart(argv),
    },
    {
      name: 'apply',
      usage: '-f FILE --url URL --username NAME --password-stdin [--dry-run] [--prune]',
      summary: "Makes the server's directory match FILE (YAML or JSON, schemas/apply.schema.json).",
      groupHelp: true,
      run: async (argv) => (await import('../../server/cli/applyCommand.js')).runApply(argv),
    },
    {
      name: 'registry-config',
      usage: '--data DIR --registry HOST:PORT --realm URL',
      summary: "Prints the registry's auth: block (token realm, service, issuer, rootcertbundle) and writes the bundle.",
      groupHelp: true,
      run: async (argv) => (await import('../../server/token/cli.js')).runRegistryConfig(argv),
    },
    {
      name: 'rotate-signing-key',
      usage: '--data DIR',
      summary: 'Makes a new token signing key current; the bundle keeps the old certificate until its tokens expire.',
      groupHelp: true,
      run: async (argv) => (await import('../../server/token/cli.js')).runRotateSigningKey(argv),
    },
  ],
};

export async function run(argv: string[]): Promise<number> {
  const absent = notInWorkstationInstall('server');
  if (absent !== undefined) return absent;
  return dispatch(serverCommands, argv);
}
