// The Image Access Management decision (docs/permission-model.md, "Which Image Access Management
// applies"). Pure: the caller says which orgs apply and whether the principal owns each one.
//
// One org, IAM on:
//   organization images → always allowed          (iam.organization-image)
//   allow-listed repository → allowed              (iam.allowlisted)
//   Docker Official Image → allowed or restricted  (iam.official-allowed / iam.official-restricted)
//   Verified Publisher   → allowed or restricted   (iam.verified-allowed / iam.verified-restricted)
//   community            → disabled                (iam.community-disabled)
// IAM off → allowed (iam.off). An owner of the org bypasses that org's IAM (iam.owner-bypass).
//
// Several orgs: the strictest combination, whatever the credential (password, PAT, `docker login`
// or an agent's org session; the session never narrows it). Every org the user belongs to is
// evaluated on its own and the image is allowed only if each org allows it (an intersection of what
// each org allows). Everything about an org's rules is that org's own:
// - the category is computed per org: an image is an Organization image only for the org that owns
//   its namespace, as on Docker Hub. To org A, an image of org B is a Community image (or Verified
//   Publisher, or Official) like any other, even when the user belongs to both; otherwise a member
//   of A could push any image into an org of their own and pull it past A's rules;
// - owner bypass and allowlists are per org: owning org A exempts you from A's rules only, and A's
//   allowlist exempts a repository from A's rules only. Org B's owners never agreed to A's
//   exceptions, so B's restrictions still bind a member of B. A user who owns every org they
//   belong to is therefore never restricted, which is the single-org rule again.
// The first org (by name) that refuses is the one named in the denial.
import type { ImageAccessSettings, ImageCategory } from './accessFacts.js';
import { categoryLabel, classifyRepository, repositoryNamespace } from './imageCategory.js';

export type ImageAccessRule =
  | 'iam.no-org'
  | 'iam.off'
  | 'iam.owner-bypass'
  | 'iam.organization-image'
  | 'iam.allowlisted'
  | 'iam.official-allowed'
  | 'iam.official-restricted'
  | 'iam.verified-allowed'
  | 'iam.verified-restricted'
  | 'iam.community-disabled';

export interface ImageAccessVerdict {
  allowed: boolean;
  rule: ImageAccessRule;
  /** For a denial, the message for the user's terminal; for an allow, a note for the audit log. */
  reason: string;
  /** The org whose settings decided, when one did. */
  org?: string;
}

export interface SingleOrgImageAccessInput {
  /** Repository path on the registry, "namespace/name". */
  repository: string;
  category: ImageCategory;
  org: string;
  settings: ImageAccessSettings;
  /** Owners of the org bypass its Image Access Management. */
  isOwner: boolean;
}

/** The IAM decision of one org. */
export function decideImageAccess(input: SingleOrgImageAccessInput): ImageAccessVerdict {
  const { repository, category, org, settings } = input;
  const verdict = (allowed: boolean, rule: ImageAccessRule, reason: string): ImageAccessVerdict => ({ allowed, rule, reason, org });
  if (!settings.enabled) return verdict(true, 'iam.off', `Image Access Management is off in org ${org}`);
  if (input.isOwner) return verdict(true, 'iam.owner-bypass', `owners of ${org} bypass its Image Access Management`);
  if (category === 'organization') return verdict(true, 'iam.organization-image', `${repository} is an Organization image`);
  if (isAllowlisted(repository, settings.allowlist)) {
    return verdict(true, 'iam.allowlisted', `${repository} is on the allowlist of org ${org}`);
  }
  const refused = (rule: ImageAccessRule, alsoAsk: string): ImageAccessVerdict =>
    verdict(
      false,
      rule,
      `${repository} is ${categoryLabel(category)}; Image Access Management in org ${org} allows only ` +
        `${allowedImagesPhrase(settings)}. Ask an owner of ${org} to allow-list it${alsoAsk}.`,
    );
  switch (category) {
    case 'official':
      return settings.allowOfficial
        ? verdict(true, 'iam.official-allowed', `org ${org} allows Docker Official Images`)
        : refused('iam.official-restricted', ' or to allow Docker Official Images');
    case 'verified':
      return settings.allowVerifiedPublishers
        ? verdict(true, 'iam.verified-allowed', `org ${org} allows Verified Publisher images`)
        : refused('iam.verified-restricted', ' or to allow Verified Publisher images');
    case 'community':
      // Community images cannot be enabled as a category while IAM is on; only the allowlist helps.
      return refused('iam.community-disabled', '');
  }
}

/** "organization images and Docker Official Images", tailored to what the settings allow. */
export function allowedImagesPhrase(settings: ImageAccessSettings): string {
  const kinds = ['organization images'];
  if (settings.allowOfficial) kinds.push('Docker Official Images');
  if (settings.allowVerifiedPublishers) kinds.push('Verified Publisher images');
  if (kinds.length === 1) return kinds[0] as string;
  return `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
}

/** Allowlist entries name repositories exactly ("namespace/name"); case and surrounding space do not matter. */
export function isAllowlisted(repository: string, allowlist: readonly string[]): boolean {
  const wanted = repository.toLowerCase();
  return allowlist.some((entry) => entry.trim().toLowerCase() === wanted);
}

/** One org whose IAM applies, and whether the principal owns it. */
export interface ApplicableOrg {
  org: string;
  settings: ImageAccessSettings;
  isOwner: boolean;
}

export interface CombinedImageAccessInput {
  repository: string;
  /** Every org whose IAM applies: every org of the user. */
  orgs: readonly ApplicableOrg[];
  verifiedPublishers: readonly string[];
}

/**
 * The strictest combination over several orgs (see the file comment). With one org it is exactly
 * decideImageAccess for that org; with none, nothing restricts (iam.no-org).
 */
export function decideImageAccessAcrossOrgs(input: CombinedImageAccessInput): ImageAccessVerdict {
  if (input.orgs.length === 0) {
    return { allowed: true, rule: 'iam.no-org', reason: 'no organization Image Access Management applies' };
  }
  const { repository, verifiedPublishers } = input;
  const ordered = [...input.orgs].sort((a, b) => (a.org < b.org ? -1 : a.org > b.org ? 1 : 0));
  const verdicts = ordered.map((o) => {
    const category = classifyRepository(repository, { organizations: [o.org], verifiedPublishers });
    return decideImageAccess({ repository, category, org: o.org, settings: o.settings, isOwner: o.isOwner });
  });
  const denial = verdicts.find((v) => !v.allowed);
  if (denial) return withOtherOrgNote(denial, repository, ordered);
  // Everyone allows: report the most telling reason (a rule that actually looked at the image).
  return verdicts.find((v) => v.rule !== 'iam.off') ?? (verdicts[0] as ImageAccessVerdict);
}

/** When the refused image belongs to another org of the user, say why their own org's image counts as Community. */
function withOtherOrgNote(denial: ImageAccessVerdict, repository: string, orgs: readonly ApplicableOrg[]): ImageAccessVerdict {
  const namespace = repositoryNamespace(repository).toLowerCase();
  const owner = orgs.find((o) => o.org.toLowerCase() === namespace);
  if (!owner || owner.org === denial.org || denial.rule !== 'iam.community-disabled') return denial;
  return {
    ...denial,
    reason: `${denial.reason} (To the Image Access Management of ${denial.org}, images of another organization, ${owner.org} included, are Community images.)`,
  };
}
