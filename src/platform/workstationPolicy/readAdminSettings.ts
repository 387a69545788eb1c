// readAdminSettings(): Bosun's own settings.json in the admin-only location, decoded, validated
// (schemas/settings.schema.json) and protection-checked exactly like registry.json.
import { evaluateAdminSettings, type AdminSettings } from '../../core/workstationPolicy/adminSettingsRules.js';
import type { Issue } from '../../core/workstationPolicy/policyDocument.js';
import type { RootInfo } from '../../core/workstationPolicy/policyReport.js';
import type { ProtectionVerdict } from '../../core/workstationPolicy/protectionRules.js';
import { policyLocations, type LocationOptions } from './locations.js';
import { checkProtection } from './checkProtection.js';
import { readAdminFile, type SafeReadOptions } from './safeRead.js';

export interface AdminSettingsReport {
  /** absent: no settings file (the agent cannot know its server); invalid: present but unusable (fail closed). */
  status: 'absent' | 'valid' | 'invalid';
  path: string;
  settings?: AdminSettings;
  errors: Issue[];
  warnings: Issue[];
  protection?: ProtectionVerdict;
  root: RootInfo;
  readAt: string;
}

export interface ReadAdminSettingsOptions extends LocationOptions {
  now?: () => Date;
  read?: SafeReadOptions;
}

export async function readAdminSettings(opts: ReadAdminSettingsOptions = {}): Promise<AdminSettingsReport> {
  const loc = policyLocations(opts);
  const path = loc.adminSettings;
  const base = { path, root: loc.root, readAt: (opts.now ?? (() => new Date()))().toISOString() };
  const file = await readAdminFile(path, opts.read);
  if (file.kind === 'absent') return { status: 'absent', errors: [], warnings: [], ...base };
  const protection = await checkProtection(path, loc.root.path, loc.platform);
  const protectionWarnings = protection.problems.map((p) => ({ path: '', message: `${p.message}; ${p.fix}` }));
  if (file.kind === 'error') return { status: 'invalid', errors: [{ path: '', message: file.message }], warnings: protectionWarnings, protection, ...base };
  const found = evaluateAdminSettings(file.bytes, path);
  const warnings = [...found.warnings, ...protectionWarnings];
  if (!found.settings) return { status: 'invalid', errors: found.errors, warnings, protection, ...base };
  return { status: 'valid', settings: found.settings, errors: [], warnings, protection, ...base };
}
