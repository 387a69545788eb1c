// allowedOrgs entries: normalization and validation (README, "The allowedOrgs policy").
// An org name is a registry namespace, so it must be one path component under the distribution
// reference grammar (distribution/reference regexp.go):
//   path-component := alpha-numeric (separator alpha-numeric)*
//   alpha-numeric  := [a-z0-9]+
//   separator      := [_.] | '__' | [-]+

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** distribution caps a whole repository name at 255 characters; a namespace can be no longer. */
const MAX_NAME_LENGTH = 255;

/**
 * Letters from other scripts that render like ASCII letters. An MDM profile typed on a Cyrillic or
 * Greek keyboard layout (or pasted from a chat) can carry them and would silently never match.
 */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ϲ: 'c',
  ı: 'i',
  ℓ: 'l',
};

export type OrgNameCheck = { valid: true; name: string } | { valid: false; name: string; reason: string };

function codePoint(ch: string): string {
  return 'U+' + (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

function scriptOf(ch: string): string {
  if (/\p{Script=Cyrillic}/u.test(ch)) return 'Cyrillic';
  if (/\p{Script=Greek}/u.test(ch)) return 'Greek';
  if (/\p{Script=Latin}/u.test(ch)) return 'Latin';
  return 'non-ASCII';
}

/** Describes the first non-ASCII character, naming the ASCII letter it imitates where it does. */
function describeNonAscii(name: string): string | undefined {
  for (const ch of name) {
    if (ch.charCodeAt(0) < 0x80) continue;
    const imitated =
      LOOK_ALIKES[ch] ?? (ch.normalize('NFKC').length === 1 && /^[a-z0-9]$/i.test(ch.normalize('NFKC')) ? ch.normalize('NFKC').toLowerCase() : undefined);
    if (imitated) {
      return `contains "${ch}" (${codePoint(ch)}, a ${scriptOf(ch)} character) that looks like the ASCII letter "${imitated}"; retype the name using plain ASCII letters`;
    }
    if (/\s/u.test(ch)) return `contains an invisible or non-standard space (${codePoint(ch)}); remove it`;
    if (/\p{Cf}/u.test(ch)) return `contains an invisible formatting character (${codePoint(ch)}); remove it`;
    return `contains "${ch}" (${codePoint(ch)}), which is not allowed: use only lowercase ASCII letters and digits`;
  }
  return undefined;
}

/**
 * Checks one organization name exactly as written (no trimming or lowercasing): it must be a valid
 * registry namespace component. The reason is a sentence an IT admin can act on.
 */
export function validateOrgName(name: string): OrgNameCheck {
  const bad = (reason: string): OrgNameCheck => ({ valid: false, name, reason: `"${name}" is not a valid organization name: ${reason}` });
  if (name.length === 0) return bad('it is empty');
  const nonAscii = describeNonAscii(name);
  if (nonAscii) return bad(nonAscii);
  if (name.length > MAX_NAME_LENGTH) return bad(`it is ${name.length} characters long; the limit is ${MAX_NAME_LENGTH}`);
  if (/[A-Z]/.test(name)) return bad(`it contains uppercase letters; write it as "${name.toLowerCase()}"`);
  if (/\s/.test(name)) return bad('it contains a space; each organization is a single word, separate several with ";" or one per line');
  if (name.includes('/')) return bad('it contains "/"; give only the organization (namespace), not a repository path or a registry host');
  if (name.includes(':')) return bad('it contains ":"; give only the organization name, without a registry host, port or tag');
  const other = /[^a-z0-9._-]/.exec(name);
  if (other) return bad(`the character "${other[0]}" is not allowed; use lowercase letters, digits and the separators ".", "_", "__" or "-"`);
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return bad('it must start and end with a lowercase letter or digit');
  if (!PATH_COMPONENT.test(name)) {
    return bad('separators must sit between letters or digits: use ".", "_", "__" or a run of "-", never two different ones in a row or "___"');
  }
  return { valid: true, name };
}

/** One raw entry of an allowedOrgs source, with where it came from (a JSON path such as /allowedOrgs/0). */
export interface RawOrgEntry {
  path: string;
  value: string;
}

export interface OrgIssue {
  path: string;
  message: string;
}

export interface NormalizedOrgs {
  allowedOrgs: string[];
  errors: OrgIssue[];
}

/**
 * Normalization (README, "The allowedOrgs policy"): trim, lowercase, split on ";" and newlines,
 * drop empty entries and duplicates. Every remaining name is validated; a bad one is an error
 * naming the entry. The order of first appearance is kept so reports read like the admin's file.
 */
export function normalizeOrgEntries(entries: readonly RawOrgEntry[]): NormalizedOrgs {
  const seen = new Set<string>();
  const allowedOrgs: string[] = [];
  const errors: OrgIssue[] = [];
  for (const entry of entries) {
    for (const part of entry.value.split(/[;\r\n]/)) {
      // Lowercase only ASCII: lowercasing "İ" or "K" (Kelvin sign) would turn a look-alike into a
      // plausible ASCII name and hide it from the check below.
      const name = part.trim().replace(/[A-Z]+/g, (s) => s.toLowerCase());
      if (name === '' || seen.has(name)) continue;
      const check = validateOrgName(name);
      if (!check.valid) {
        errors.push({ path: entry.path, message: check.reason });
        continue;
      }
      seen.add(name);
      allowedOrgs.push(name);
    }
  }
  return { allowedOrgs, errors };
}

/** Convenience for callers holding plain strings (the MDM generator, tests). */
export function normalizeOrgList(values: readonly string[]): NormalizedOrgs {
  return normalizeOrgEntries(values.map((value, i) => ({ path: `/${i}`, value })));
}
