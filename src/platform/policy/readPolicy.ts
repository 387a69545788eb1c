// readPolicy(): looks at every admin-only source for this OS, judges each, and combines them into the
// policy report (src/policy/policyReport.ts). Never throws: every failure becomes part of the report.
import type { NativeSourceResult } from '../../policy/nativeSources.js';
import { evaluateRegistryJson, type SourceFindings } from '../../policy/policyDocument.js';
import { combineSources, sourceReport, type PolicyReport, type PolicySourceKind, type SourceReport } from '../../policy/policyReport.js';
import { policyLocations, type LocationOptions, type PolicyLocations } from './locations.js';
import { readMacDesktopPlistPolicy, readMacProfilePolicy, readWindowsRegistryPolicy } from './nativeReaders.js';
import { checkProtection } from './protection.js';
import { readAdminFile, type SafeReadOptions } from './safeRead.js';

export interface ReadPolicyOptions extends LocationOptions {
  now?: () => Date;
  read?: SafeReadOptions;
}

const errorFindings = (message: string): SourceFindings => ({ allowedOrgs: [], errors: [{ path: '', message }], warnings: [] });

async function fileSource(
  kind: PolicySourceKind,
  path: string,
  loc: PolicyLocations,
  judge: (bytes: Buffer) => Promise<NativeSourceResult>,
  read: SafeReadOptions | undefined,
): Promise<SourceReport> {
  const file = await readAdminFile(path, read);
  if (file.kind === 'absent') return sourceReport(kind, path, undefined);
  const protection = await checkProtection(path, loc.root.path, loc.platform);
  if (file.kind === 'error') return sourceReport(kind, path, errorFindings(file.message), { protection });
  const result = await judge(file.bytes);
  if (!result.present) return sourceReport(kind, path, undefined, { ...(result.note ? { note: result.note } : {}) });
  return sourceReport(kind, path, result.findings, { protection });
}

export async function readPolicy(opts: ReadPolicyOptions = {}): Promise<PolicyReport> {
  const loc = policyLocations(opts);
  const sources: SourceReport[] = [];
  if (loc.platform === 'win32') {
    const location = `${loc.windowsRegistryKey ?? 'HKLM\\SOFTWARE\\Policies\\Docker\\Docker Desktop'} (value allowedOrgs)`;
    if (!loc.windowsRegistryKey) {
      sources.push(sourceReport('windows-registry', location, undefined, { skipped: true, note: 'not consulted: BOSUN_POLICY_ROOT is active and cannot redirect the registry' }));
    } else {
      const r = await readWindowsRegistryPolicy(loc.windowsRegistryKey);
      sources.push(sourceReport('windows-registry', location, r.present ? r.findings : undefined, r.present || !r.note ? {} : { note: r.note }));
    }
  }
  if (loc.macProfile) sources.push(await fileSource('macos-profile', loc.macProfile, loc, () => readMacProfilePolicy(loc.macProfile as string), opts.read));
  if (loc.macDesktopPlist) {
    sources.push(await fileSource('macos-desktop-plist', loc.macDesktopPlist, loc, () => readMacDesktopPlistPolicy(loc.macDesktopPlist as string), opts.read));
  }
  sources.push(
    await fileSource('registry-json', loc.registryJson, loc, async (bytes) => ({ present: true, findings: evaluateRegistryJson(bytes, loc.registryJson) }), opts.read),
  );
  return combineSources(sources, loc.root, (opts.now ?? (() => new Date()))());
}
