// `bosun policy <subcommand>`: a small table, one line per subcommand, each loaded on use.
import type { CommandModule } from '../commands.js';

interface Subcommand {
  usage: string;
  summary: string;
  load(): Promise<CommandModule>;
}

export const subcommands: Record<string, Subcommand> = {
  check: { usage: 'check <file> [--json]', summary: 'validate one registry.json-format file (exit 0 valid, 1 invalid)', load: () => import('./policy/check.js') },
  show: { usage: 'show [--json]', summary: 'show the effective policy on this machine and every source looked at', load: () => import('./policy/show.js') },
  generate: { usage: 'generate --format F', summary: 'write allowedOrgs for MDM (registry-json, mobileconfig, reg) from --org names', load: () => import('./policyGenerate.js') },
};

function usage(): string {
  const lines = Object.values(subcommands).map((s) => `  bosun policy ${s.usage.padEnd(24)} ${s.summary}`);
  return ['Usage:', ...lines].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const sub = subcommands[name];
  if (!sub) {
    console.error(`bosun policy: unknown subcommand '${name}'.\n\n${usage()}`);
    return 2;
  }
  return (await sub.load()).run(rest);
}
