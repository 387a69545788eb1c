// Argument parsing shared by the `bosun` subcommands: node:util parseArgs (strict: an unknown option
// is an error), `--help`/`-h`, and the same answers everywhere — usage errors go to stderr with the
// help text and exit 2; `--help` prints the help and exits 0.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export type Parsed<V> = { ok: true; values: V } | { ok: false; exitCode: number };

export function parseCommandArgs<V extends object>(command: string, argv: string[], options: Options, help: string): Parsed<V> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    console.error(`bosun ${command}: ${(err as Error).message}\n\n${help}`);
    return { ok: false, exitCode: 2 };
  }
  if (values.help) {
    console.log(help);
    return { ok: false, exitCode: 0 };
  }
  return { ok: true, values: values as V };
}
