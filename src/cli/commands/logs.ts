// `bosun logs [-n N] [--follow] [--json]`: the agent's log, newest last. Secrets are redacted when the
// lines are written (src/common/log.ts), so what is printed here is safe to paste into a ticket.
import { parseCommandArgs } from '../commandArgs.js';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import { logsDir } from '../../agent/paths.js';
import { LOG_FILE } from '../../common/log.js';

const HELP = `Usage: bosun logs [-n LINES] [--follow] [--json] [--path]

Prints the last LINES (default 50) lines of the Bosun agent's log. --follow keeps printing new lines;
--json prints the raw JSON lines; --path prints where the logs are.`;

function human(line: string): string {
  try {
    const j = JSON.parse(line) as Record<string, unknown>;
    const { timestamp, level, message, ...rest } = j;
    const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
    return `${String(timestamp ?? '')} ${String(level ?? '').padEnd(5)} ${String(message ?? '')}${extra}`;
  } catch {
    return line;
  }
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ lines?: string; follow?: boolean; json?: boolean; path?: boolean }>(
    'logs',
    argv,
    {
      lines: { type: 'string', short: 'n' },
      follow: { type: 'boolean', short: 'f' },
      json: { type: 'boolean' },
      path: { type: 'boolean' },
    },
    HELP,
  );
  if (!parsed.ok) return parsed.exitCode;
  const { values } = parsed;
  const file = join(logsDir(), LOG_FILE);
  if (values.path) {
    console.log(file);
    return 0;
  }
  const count = values.lines === undefined ? 50 : Number(values.lines);
  if (!Number.isInteger(count) || count < 0) {
    console.error(`bosun logs: -n must be a whole number of lines, not '${values.lines}'.`);
    return 2;
  }
  const show = (line: string) => console.log(values.json ? line : human(line));
  if (!existsSync(file)) {
    console.error(`No log yet at ${file}: the agent writes it once it has run (\`bosun agent\` or the tray app).`);
    if (!values.follow) return 1;
  } else {
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    for (const l of lines.slice(Math.max(0, lines.length - count))) show(l);
  }
  if (!values.follow) return 0;
  let offset = existsSync(file) ? statSync(file).size : 0;
  let partial = '';
  const pump = () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size < offset) offset = 0; // rotated
    if (size === offset) return;
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    closeSync(fd);
    offset = size;
    const text = partial + buf.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts.filter(Boolean)) show(l);
  };
  const watcher = watch(logsDir(), () => pump());
  const timer = setInterval(pump, 1000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  watcher.close();
  clearInterval(timer);
  return 0;
}
