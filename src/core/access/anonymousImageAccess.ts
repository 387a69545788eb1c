// Image Access Management for anonymous pulls. Without it, a developer whom their org's IAM
// refuses an image could sign out and pull it anonymously. By default (`strictest`) an anonymous
// pull is refused when any org of the directory with IAM on would refuse it; the server setting
// `anonymousPullImageAccess: ignore` turns that off, knowingly (docs/permission-model.md).
//
// Each org with IAM on judges the image as it would for its own members (src/core/access/imageAccess.ts):
// `library/…` is official, the org's own namespace is an organization image, a Verified Publisher
// namespace is verified, the rest (other orgs' images included) is community. It depends only on
// the name, never on whether the repository exists or is public, so the denial reveals nothing
// about private repositories. Nobody is an owner, so no org's bypass applies.
import type { AccessFacts, AnonymousPullImageAccess } from './accessFacts.js';
import { decideImageAccessAcrossOrgs } from './imageAccess.js';

export const DEFAULT_ANONYMOUS_PULL_IMAGE_ACCESS: AnonymousPullImageAccess = 'strictest';

export type AnonymousImageAccessVerdict = { allowed: true } | { allowed: false; rule: 'anonymous.image-access-restricted'; reason: string };

/** May an anonymous caller pull `facts.repository` as far as Image Access Management goes? */
export function decideAnonymousImageAccess(facts: AccessFacts): AnonymousImageAccessVerdict {
  const mode = facts.server.anonymousPullImageAccess ?? DEFAULT_ANONYMOUS_PULL_IMAGE_ACCESS;
  if (mode === 'ignore') return { allowed: true };
  const rule = 'anonymous.image-access-restricted';
  const signIn = "Sign in with Bosun (or docker login) to pull under your own organization's rules.";
  if (!facts.directoryImageAccess) {
    // The server did not say which orgs have IAM on: refuse rather than guess.
    return { allowed: false, rule, reason: `sign-in required: this server could not check anonymous pulls against Image Access Management. ${signIn}` };
  }
  const orgs = facts.directoryImageAccess.map((o) => ({ org: o.org, settings: o.imageAccess, isOwner: false }));
  const verdict = decideImageAccessAcrossOrgs({ repository: facts.repository, orgs, verifiedPublishers: facts.server.verifiedPublishers });
  if (verdict.allowed) return { allowed: true };
  return {
    allowed: false,
    rule,
    reason:
      `sign-in required: anonymous pulls on this server follow the Image Access Management of every organization, and ${verdict.reason} ` +
      `Or sign in with Bosun (or docker login) to pull under your own organization's rules.`,
  };
}

export interface AnonymousPullSettings {
  anonymousPull: boolean;
  anonymousPullImageAccess: AnonymousPullImageAccess;
}

/**
 * For `bosun server apply`: the warning when anonymous pulls ignore Image Access Management while
 * some org relies on it (its members could pull what it refuses by signing out); undefined when
 * the combination is safe.
 */
export function anonymousPullBypassWarning(settings: AnonymousPullSettings, orgsWithImageAccessOn: readonly string[]): string | undefined {
  if (!settings.anonymousPull || settings.anonymousPullImageAccess !== 'ignore' || orgsWithImageAccessOn.length === 0) return undefined;
  const orgs = orgsWithImageAccessOn.join(', ');
  return (
    `anonymousPullImageAccess is "ignore" while anonymousPull is on and Image Access Management is on in ${orgs}: ` +
    `members of ${orgs} can pull any public image their org refuses by signing out. ` +
    `Set anonymousPullImageAccess: strictest (the default), or anonymousPull: false.`
  );
}
