// Shared text rendering for `bosun policy` output: one line per issue, path first, for IT admins.
import type { Issue } from '../../../core/workstationPolicy/policyDocument.js';

export function issueLines(kind: 'error' | 'warning', issues: readonly (Issue & { source?: string })[], indent = '  '): string[] {
  return issues.map((i) => {
    const where = [i.source, i.path].filter(Boolean).join(' ');
    return `${indent}${kind}: ${where ? `${where}: ` : ''}${i.message}`;
  });
}

/** Parses `[positional...] [--json] [--help]`; anything else is a usage error. */
export function parseFlags(argv: readonly string[]): { json: boolean; help: boolean; positional: string[]; unknown: string[] } {
  const out = { json: false, help: false, positional: [] as string[], unknown: [] as string[] };
  for (const a of argv) {
    if (a === '--json') out.json = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a.startsWith('-') && a !== '-') out.unknown.push(a);
    else out.positional.push(a);
  }
  return out;
}
