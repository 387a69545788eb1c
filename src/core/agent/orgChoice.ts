// Which org a sign-in may bind its session to (README, "The agent"; `bosun login --org`): the user
// must belong to at least one org in allowedOrgs; the session is bound to one; the user picks when
// several qualify.

export type OrgChoice = { kind: 'bound'; org: string } | { kind: 'pick'; orgs: string[] } | { kind: 'refused'; message: string };

/**
 * @param user      the account that signed in (named in messages, so a user who typed a personal
 *                  account instead of the work one sees it at once)
 * @param userOrgs  the orgs the server says the account belongs to
 * @param allowedOrgs the normalized policy; empty when no policy is in force
 * @param requested an org the user asked for (`bosun login --org`), if any
 */
export function chooseOrg(user: string, userOrgs: readonly string[], allowedOrgs: readonly string[], requested?: string): OrgChoice {
  const mine = new Set(userOrgs.map((o) => o.toLowerCase()));
  // With no policy, any of the user's orgs may be chosen; with one, only allowed ones.
  const candidates = (allowedOrgs.length ? allowedOrgs : [...mine].sort()).filter((o) => mine.has(o));
  if (requested !== undefined) {
    const want = requested.trim().toLowerCase();
    if (allowedOrgs.length && !allowedOrgs.includes(want)) {
      return { kind: 'refused', message: `${want} is not an organization this machine's policy allows (allowed: ${allowedOrgs.join(', ')}).` };
    }
    if (!mine.has(want)) {
      return { kind: 'refused', message: `${user} is not a member of ${want}. Ask an owner of ${want} to add ${user}, or sign in with your ${want} account.` };
    }
    return { kind: 'bound', org: want };
  }
  if (candidates.length === 1) return { kind: 'bound', org: candidates[0]! };
  if (candidates.length > 1) return { kind: 'pick', orgs: candidates };
  if (allowedOrgs.length) {
    return {
      kind: 'refused',
      message:
        `${user} is not a member of ${allowedOrgs.length === 1 ? allowedOrgs[0] : `any of ${allowedOrgs.join(', ')}`}, ` +
        `which this machine's policy requires. Sign in with your work account, or ask an owner of ` +
        `${allowedOrgs.join(' or ')} to add ${user}.`,
    };
  }
  return { kind: 'refused', message: `${user} does not belong to any organization on this server.` };
}
