// `bosun policy check <file> [--json]`: validates one registry.json-format file at any path. It
// only reports; it enforces nothing. Exit 0 valid, 1 invalid, 2 usage error.
import { resolve } from 'node:path';
import { evaluateRegistryJson, type SourceFindings } from '../../../core/workstationPolicy/policyDocument.js';
import { readAdminFile } from '../../../platform/workstationPolicy/safeRead.js';
import { issueLines, parseFlags } from './format.js';

const USAGE = 'Usage: bosun policy check <file> [--json]\n  Validates a registry.json-format file. Exit 0 if valid, 1 if invalid, 2 on a usage error.';

export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (flags.unknown.length || flags.positional.length !== 1) {
    console.error(`bosun policy check: ${flags.unknown.length ? `unknown option ${flags.unknown.join(' ')}` : 'give exactly one file'}\n${USAGE}`);
    return 2;
  }
  const file = resolve(flags.positional[0] as string);
  const read = await readAdminFile(file);
  const findings: SourceFindings =
    read.kind === 'file'
      ? evaluateRegistryJson(read.bytes, file)
      : {
          allowedOrgs: [],
          errors: [{ path: '', message: read.kind === 'absent' ? `${file} does not exist` : read.message }],
          warnings: [],
        };
  const valid = findings.errors.length === 0;
  if (flags.json) {
    console.log(JSON.stringify({ file, valid, allowedOrgs: findings.allowedOrgs, errors: findings.errors, warnings: findings.warnings }, null, 2));
  } else {
    const lines = valid
      ? [`${file}: valid`, `  allowedOrgs: ${findings.allowedOrgs.join(', ')}`]
      : [`${file}: INVALID. Deployed as is, this policy fails closed: nobody can sign in until it is fixed.`];
    lines.push(...issueLines('error', findings.errors), ...issueLines('warning', findings.warnings));
    (valid ? console.log : console.error)(lines.join('\n'));
  }
  return valid ? 0 : 1;
}
