// The shared vocabulary of the permission model (docs/permission-model.md). The server feeds
// `AccessFacts` from its store; the pure decision function in src/core/access turns them into an
// `AccessDecision`; the token service turns that into a JWT grant or a 403 with `reason`.

/** Registry actions on a repository (distribution token scopes `repository:<name>:<actions>`). */
export type RepoAction = 'pull' | 'push' | 'delete';
/** Team and user grant levels; additive, the highest wins. read = pull; write = + push, delete tags; admin = + settings. */
export type AccessLevel = 'none' | 'read' | 'write' | 'admin';
export type OrgRole = 'member' | 'editor' | 'owner';
export type GlobalRole = 'superuser' | 'admin' | 'user';
/** Personal access token scopes; they cap what the user can do. */
export type PatScope = 'read' | 'write' | 'delete';
export type Visibility = 'public' | 'private';
export type ImageCategory = 'organization' | 'official' | 'verified' | 'community';

/** Image Access Management settings of one org. Off by default; community images are disabled when on. */
export interface ImageAccessSettings {
  enabled: boolean;
  allowOfficial: boolean;
  allowVerifiedPublishers: boolean;
  /** Repositories exempted by name, "namespace/name". */
  allowlist: string[];
}

export type Principal = { kind: 'anonymous' } | { kind: 'user'; name: string; role: GlobalRole; disabled: boolean };

/** How the caller proved who they are. It caps rights (PAT scopes); it never changes which IAM applies. */
export type Credential =
  | { kind: 'none' }
  | { kind: 'password' }
  | { kind: 'pat'; scopes: PatScope[] }
  /**
   * A refresh token; `orgSession` is set when the Bosun agent signed in for that org (it must still
   * be a member). `scopes` is set when it was minted from a PAT: it keeps that PAT's cap (a refresh
   * token never grants more than the credential it came from).
   */
  | { kind: 'refresh'; orgSession?: string; scopes?: PatScope[] };

/**
 * What Image Access Management means for anonymous pulls: `strictest` (the default) refuses an
 * anonymous pull that any org with IAM on would refuse, so signing out never escapes an org's IAM;
 * `ignore` lets anonymous callers pull every public repository, whatever any org's IAM says.
 */
export type AnonymousPullImageAccess = 'strictest' | 'ignore';
export const ANONYMOUS_PULL_IMAGE_ACCESS: readonly AnonymousPullImageAccess[] = ['strictest', 'ignore'];

/** One org's name and Image Access Management settings. */
export interface OrgImageAccess {
  org: string;
  imageAccess: ImageAccessSettings;
}

export interface OrgMembership {
  org: string;
  role: OrgRole;
  imageAccess: ImageAccessSettings;
}

export interface AccessFacts {
  principal: Principal;
  credential: Credential;
  /** The repository path on this registry, without host: "namespace/name" (may have more components). */
  repository: string;
  /** Absent when the repository does not exist yet (a push may create it). */
  repo?: { visibility: Visibility };
  /** Who owns the first path component. */
  namespace: { kind: 'org'; name: string } | { kind: 'user'; name: string } | { kind: 'unowned'; name: string };
  /** Highest level the principal holds through teams and direct grants, on this repository or its namespace. */
  grantLevel: AccessLevel;
  /** Every org the principal belongs to, with its role and that org's IAM settings. */
  memberships: OrgMembership[];
  /**
   * Every org of the directory whose Image Access Management is on, for an anonymous caller
   * (anonymous pulls follow the strictest of them). When it is absent for an anonymous pull under
   * `strictest`, the decision fails closed.
   */
  directoryImageAccess?: OrgImageAccess[];
  server: {
    anonymousPull: boolean;
    /** Absent means `strictest`. */
    anonymousPullImageAccess?: AnonymousPullImageAccess;
    /** Authenticated users may create personal repositories (USER_COLLECTIONS-style setting). */
    userNamespaces: boolean;
    /** Verified Publisher namespaces, kept by the server admin. */
    verifiedPublishers: string[];
  };
}

export interface AccessDecision {
  /** requested ∩ allowed; may be empty. */
  granted: RepoAction[];
  /** Machine-readable id of the rule that decided, for the audit log (e.g. "iam.community-disabled"). */
  rule: string;
  /** Human explanation for the user's terminal: which rule, which org setting, what to do. */
  reason: string;
}
