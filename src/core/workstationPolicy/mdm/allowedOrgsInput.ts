// The organization names an admin passes to `bosun policy generate`, checked before any file is
// written: a generated policy that the agent would later reject fails closed on every workstation.
// The rules are the agent's own (normalizeOrgList), so a file that generates is a file that loads.
import { normalizeOrgList } from '../../names/orgName.js';

export type PreparedOrgs = { ok: true; allowedOrgs: string[] } | { ok: false; errors: string[] };

/**
 * Normalizes like the agent's readers (trim, lowercase ASCII, split on ";" and newlines, drop
 * duplicates) and validates every name. Every bad name is reported, not only the first.
 */
export function prepareAllowedOrgs(values: readonly string[]): PreparedOrgs {
  const { allowedOrgs, errors } = normalizeOrgList(values);
  if (errors.length) return { ok: false, errors: errors.map((e) => e.message) };
  if (allowedOrgs.length === 0) return { ok: false, errors: ['no organization given: pass at least one --org NAME'] };
  return { ok: true, allowedOrgs };
}
