// The organization names an admin passes to `bosun policy generate`, checked before any file is
// written: a generated policy that the agent would later reject fails closed on every workstation.
//
// TEMPORARY until the policy core lands on main: this mirrors the namespace grammar that
// src/policy/orgName.ts (`normalizeOrgList`, `validateOrgName`) implements. At merge, the body of
// prepareAllowedOrgs becomes a call to normalizeOrgList and this regex goes away.

/** distribution/reference: path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | '__' | [-]+ */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export type PreparedOrgs = { ok: true; allowedOrgs: string[] } | { ok: false; errors: string[] };

/**
 * Normalizes like the agent's readers (trim, lowercase ASCII, split on ";" and newlines, drop
 * duplicates) and validates every name. Every bad name is reported, not only the first.
 */
export function prepareAllowedOrgs(values: readonly string[]): PreparedOrgs {
  const allowedOrgs: string[] = [];
  const errors: string[] = [];
  for (const value of values) {
    for (const part of value.split(/[;\r\n]/)) {
      const name = part.trim().replace(/[A-Z]+/g, (s) => s.toLowerCase());
      if (name === '' || allowedOrgs.includes(name)) continue;
      if (PATH_COMPONENT.test(name) && name.length <= 255) allowedOrgs.push(name);
      else errors.push(`"${name}" is not a valid organization name: use lowercase letters, digits and the separators ".", "_", "__" or "-" between them`);
    }
  }
  if (errors.length === 0 && allowedOrgs.length === 0) errors.push('no organization given: pass at least one --org NAME');
  return errors.length ? { ok: false, errors } : { ok: true, allowedOrgs };
}
