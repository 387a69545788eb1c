// readPolicy(): looks at every admin-only source for this OS, judges each, and combines them into the
// policy report (src/core/workstationPolicy/policyReport.ts). Never throws: every failure becomes part of the report.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { NativeSourceResult } from '../../core/workstationPolicy/nativeSources.js';
import { evaluateRegistryJson, type SourceFindings } from '../../core/workstationPolicy/policyDocument.js';
import { combineSources, sourceReport, type PolicyReport, type PolicySourceKind, type SourceReport } from '../../core/workstationPolicy/policyReport.js';
import { policyLocations, type LocationOptions, type PolicyLocations } from './locations.js';
import { readMacDesktopPlistPolicy, readMacProfilePolicy, readWindowsRegistryPolicy } from './nativeReaders.js';
import { checkProtection } from './checkProtection.js';
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
  try {
    const file = await readAdminFile(path, read);
    if (file.kind === 'absent') return sourceReport(kind, path, undefined);
    const protection = await checkProtection(path, loc.root.path, loc.platform);
    if (file.kind === 'error') return sourceReport(kind, path, errorFindings(file.message), { protection });
    const result = await judge(file.bytes);
    if (!result.present) return sourceReport(kind, path, undefined, { ...(result.note ? { note: result.note } : {}) });
    return sourceReport(kind, path, result.findings, { protection });
  } catch (err) {
    // Never crash and never ignore: an unexpected failure makes this source present and invalid,
    // so the policy fails closed and the report says why.
    return sourceReport(kind, path, errorFindings(`${path} could not be judged (${err instanceof Error ? err.message : String(err)})`));
  }
}

/**
 * For each absent file source that outranks the first present one, checks the directories where a
 * user would have to create it (its nearest existing ancestor and up): creating it would override
 * the deployed policy. The verdict is kept on the absent source; combineSources weighs it.
 */
async function checkShadowingLocations(sources: SourceReport[], loc: PolicyLocations): Promise<void> {
  const firstPresent = sources.findIndex((s) => s.status === 'valid' || s.status === 'invalid');
  if (firstPresent < 0) return;
  for (const s of sources.slice(0, firstPresent)) {
    if (s.status !== 'absent' || s.kind === 'windows-registry') continue;
    let dir = dirname(s.location);
    while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
    s.protection = await checkProtection(dir, loc.root.path, loc.platform);
  }
}

export async function readPolicy(opts: ReadPolicyOptions = {}): Promise<PolicyReport> {
  const loc = policyLocations(opts);
  const sources: SourceReport[] = [];
  if (loc.platform === 'win32') {
    const location = `${loc.windowsRegistryKey ?? 'HKLM\\SOFTWARE\\Policies\\Docker\\Docker Desktop'} (value allowedOrgs)`;
    if (!loc.windowsRegistryKey) {
      sources.push(
        sourceReport('windows-registry', location, undefined, {
          skipped: true,
          note: 'not consulted: BOSUN_POLICY_ROOT is active and cannot redirect the registry',
        }),
      );
    } else {
      const r = await readWindowsRegistryPolicy(loc.windowsRegistryKey).catch((err: unknown): NativeSourceResult => ({
        present: true,
        findings: errorFindings(`reg query failed (${String(err)})`),
      }));
      sources.push(sourceReport('windows-registry', location, r.present ? r.findings : undefined, r.present || !r.note ? {} : { note: r.note }));
    }
  }
  if (loc.macProfile) sources.push(await fileSource('macos-profile', loc.macProfile, loc, () => readMacProfilePolicy(loc.macProfile as string), opts.read));
  if (loc.macDesktopPlist) {
    sources.push(await fileSource('macos-desktop-plist', loc.macDesktopPlist, loc, () => readMacDesktopPlistPolicy(loc.macDesktopPlist as string), opts.read));
  }
  sources.push(
    await fileSource(
      'registry-json',
      loc.registryJson,
      loc,
      async (bytes) => ({ present: true, findings: evaluateRegistryJson(bytes, loc.registryJson) }),
      opts.read,
    ),
  );
  await checkShadowingLocations(sources, loc);
  return combineSources(sources, loc.root, (opts.now ?? (() => new Date()))());
}
