// How every `bosun` command group dispatches (`bosun`, `bosun policy`, `bosun server`): a table of
// commands, each loading its module only when run (so `bosun policy check` does not pay for the
// server's dependencies), and the same answers everywhere: `--help` prints the group's usage and
// exits 0; a missing or unknown command is a usage error, on stderr with the usage, exit 2.

export interface Command {
  name: string;
  /** One line (or a few) for the group's usage. */
  summary: string;
  /** The arguments after the name, as the group's usage shows them ('' when there are none). */
  usage: string;
  /**
   * The command's module prints no help of its own: `--help` or `-h` anywhere after the name prints
   * the group's usage (exit 0) instead of running it.
   */
  groupHelp?: boolean;
  /** Gets the arguments after the name; returns the exit code. */
  run(argv: string[]): Promise<number>;
}

export interface CommandGroup {
  /** How the user types it: `bosun`, `bosun policy`. */
  name: string;
  /** What its commands are called in messages: `command` or `subcommand`. */
  noun: 'command' | 'subcommand';
  commands: readonly Command[];
  /** A line after the list of commands. */
  footer?: string;
}

const isHelp = (arg: string): boolean => arg === '--help' || arg === '-h' || arg === 'help';

/** A group with a usage wider than this puts each summary under its usage instead of beside it. */
const USAGE_COLUMN = 44;

/** One line per command, usage then summary, in two columns (or stacked when a usage is long). */
export function groupUsage(group: CommandGroup): string {
  const rows = group.commands.map((c) => ({ left: [group.name, c.name, c.usage].filter(Boolean).join(' '), summary: c.summary.split('\n') }));
  const width = Math.max(...rows.map((r) => r.left.length));
  const lines = rows.flatMap(({ left, summary }) =>
    width > USAGE_COLUMN ? [`  ${left}`, ...summary.map((s) => `      ${s}`)] : summary.map((s, i) => `  ${(i ? '' : left).padEnd(width)}  ${s}`),
  );
  return ['Usage:', ...lines, ...(group.footer ? ['', group.footer] : [])].join('\n');
}

export async function dispatch(group: CommandGroup, argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(groupUsage(group));
    return 2;
  }
  if (isHelp(name)) {
    console.log(groupUsage(group));
    return 0;
  }
  const command = group.commands.find((c) => c.name === name);
  if (!command) {
    console.error(`${group.name}: unknown ${group.noun} '${name}'.\n\n${groupUsage(group)}`);
    return 2;
  }
  if (command.groupHelp && rest.some((arg) => arg === '--help' || arg === '-h')) {
    console.log(groupUsage(group));
    return 0;
  }
  return command.run(rest);
}
