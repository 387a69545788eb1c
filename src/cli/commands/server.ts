// `bosun server start|apply`: the subcommands live with the server; this module only dispatches.
import { notInWorkstationInstall } from '../workstationInstall.js';

const USAGE = `Usage:
  bosun server start [--data DIR] [--listen HOST:PORT] [--public-url URL]
                     [--init-admin NAME [--init-admin-password-file FILE]]
      Runs the server in the foreground (SQLite store in DIR; 127.0.0.1 by default).
      --init-admin creates a superuser on first start; the password comes from FILE or stdin.
  bosun server apply -f FILE --url URL --username NAME --password-stdin [--dry-run] [--prune]
      Makes the server's directory match FILE (YAML or JSON, schemas/apply.schema.json).
  bosun server registry-config --data DIR --registry HOST:PORT --realm URL
      Prints the registry's auth: block (token realm, service, issuer, rootcertbundle) and writes the bundle.
  bosun server rotate-signing-key --data DIR
      Makes a new token signing key current; the bundle keeps the old certificate until its tokens expire.`;

export async function run(argv: string[]): Promise<number> {
  const absent = notInWorkstationInstall('server');
  if (absent !== undefined) return absent;
  const [sub, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (sub === 'start') return (await import('../../server/cli/startCommand.js')).runStart(rest);
  if (sub === 'apply') return (await import('../../server/cli/applyCommand.js')).runApply(rest);
  if (sub === 'registry-config') return (await import('../../server/token/cli.js')).runRegistryConfig(rest);
  if (sub === 'rotate-signing-key') return (await import('../../server/token/cli.js')).runRotateSigningKey(rest);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE);
    return 0;
  }
  console.error(sub ? `bosun server: unknown subcommand '${sub}'.\n\n${USAGE}` : USAGE);
  return 2;
}
