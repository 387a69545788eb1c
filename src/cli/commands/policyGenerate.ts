// `bosun policy generate`: writes the allowedOrgs policy in the formats MDM tools deploy, so IT does
// not hand-edit hex(7) registry data or plist XML. The generators are pure (src/core/workstationPolicy/mdm); this
// module parses arguments, picks one, and writes the result.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareAllowedOrgs } from '../../core/workstationPolicy/mdm/allowedOrgsInput.js';
import { renderMobileconfig } from '../../core/workstationPolicy/mdm/mobileconfig.js';
import { renderRegFile } from '../../core/workstationPolicy/mdm/regFile.js';
import { renderRegistryJson } from '../../core/workstationPolicy/mdm/registryJson.js';
import { writeFileAtomic } from '../../common/atomicFile.js';

const FORMATS = {
  'registry-json': {
    render: (orgs: string[]) => renderRegistryJson(orgs),
    deploy: 'registry.json: see docs/it-deployment.md for its location on each OS and the permissions to set',
  },
  mobileconfig: {
    render: (orgs: string[], organization?: string) =>
      renderMobileconfig(orgs, { profileUuid: randomUUID(), payloadUuid: randomUUID(), ...(organization ? { organization } : {}) }),
    deploy: 'upload the .mobileconfig to Jamf Pro or Intune as a device (system) profile',
  },
  reg: {
    render: (orgs: string[]) => renderRegFile(orgs),
    deploy: 'import with `reg import FILE` as an administrator, or deploy the ADMX template in build/mdm/windows',
  },
} as const;
type Format = keyof typeof FORMATS;

const USAGE = `Usage: bosun policy generate --format registry-json|mobileconfig|reg --org ORG [--org ORG …] [--out FILE]

Writes the allowedOrgs policy for MDM deployment:
  registry-json   registry.json ({"allowedOrgs": [...]}) for Windows, macOS and Linux
  mobileconfig    macOS configuration profile, payload com.docker.config, key allowedOrgs ("a;b")
  reg             Windows .reg for HKLM\\SOFTWARE\\Policies\\Docker\\Docker Desktop, allowedOrgs (REG_MULTI_SZ)

Options:
  --org ORG            an allowed organization; repeat it, or separate names with ";"
  --out FILE           write FILE atomically (an existing one is kept as FILE.bak); default: standard output
  --profile-org NAME   mobileconfig only: the issuer shown in System Settings (default "Bosun")`;

function isFormat(value: string): value is Format {
  return Object.hasOwn(FORMATS, value);
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        format: { type: 'string' },
        org: { type: 'string', multiple: true },
        out: { type: 'string' },
        'profile-org': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`bosun policy generate: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const format = values.format;
  if (!format || !isFormat(format)) {
    console.error(`bosun policy generate: --format must be one of ${Object.keys(FORMATS).join(', ')}${format ? ` (got "${format}")` : ''}.\n\n${USAGE}`);
    return 2;
  }
  const prepared = prepareAllowedOrgs(values.org ?? []);
  if (!prepared.ok) {
    for (const error of prepared.errors) console.error(`bosun policy generate: --org ${error}`);
    console.error('Nothing was written.');
    return 2;
  }
  const output = FORMATS[format].render(prepared.allowedOrgs, values['profile-org']);
  if (!values.out) {
    if (format === 'reg' && process.stdout.isTTY) {
      console.error(
        'bosun policy generate: a .reg file is UTF-16 (as regedit writes it) and would garble the terminal; pass --out FILE or redirect to a file.',
      );
      return 2;
    }
    process.stdout.write(output);
    return 0;
  }
  const file = resolve(values.out);
  const backup = writeFileAtomic(file, output, { mode: 0o644, backupSuffix: '.bak' });
  console.error(`Wrote ${file} (${format}; allowedOrgs: ${prepared.allowedOrgs.join(', ')}).${backup ? ` The previous file is in ${backup}.` : ''}`);
  console.error(`Next: ${FORMATS[format].deploy}.`);
  return 0;
}
