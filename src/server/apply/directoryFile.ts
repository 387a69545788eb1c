// The declarative directory file (`bosun server apply -f FILE`, schemas/apply.schema.json): its
// types, and the checks a schema cannot express. Every problem is reported, each with its JSON
// path, before anything is changed.
import type { AccessLevel, GlobalRole, OrgRole, Visibility } from '../../core/access/accessFacts.js';
import { ACCESS_LEVEL_SPELLINGS, parseAccessLevel } from '../../core/access/permissionLevels.js';
import { describeSchemaErrors, validatorFor, type SchemaIssue } from '../../common/schemas.js';
import type { Store } from '../store/store.js';
import type { ServerSettings, Registry } from '../store/settings.js';
import { OWNERS_TEAM } from '../store/orgs.js';

export interface GrantSpec {
  repository?: string;
  namespace?: string;
  level: string;
}
export interface UserSpec {
  name: string;
  password?: string;
  disabled?: boolean;
  role?: GlobalRole;
  grants?: GrantSpec[];
}
export interface TeamSpec {
  name: string;
  description?: string;
  members?: string[];
  grants?: GrantSpec[];
}
export interface OrgSpec {
  name: string;
  members?: { user: string; role?: OrgRole }[];
  teams?: TeamSpec[];
  imageAccess?: { enabled?: boolean; allowOfficial?: boolean; allowVerifiedPublishers?: boolean; allowlist?: string[] };
}
export interface DirectoryFile {
  settings?: Partial<ServerSettings>;
  registries?: Registry[];
  users?: UserSpec[];
  orgs?: OrgSpec[];
  repositories?: { name: string; visibility?: Visibility }[];
}

/** The file is not valid; nothing was changed. */
export class DirectoryFileError extends Error {
  constructor(readonly issues: SchemaIssue[]) {
    super(`the directory file has ${issues.length} problem(s); nothing was changed`);
  }
}

/** Schema check only (the CLI runs it before contacting the server). */
export function schemaIssues(file: unknown): SchemaIssue[] {
  const validate = validatorFor('apply.schema.json');
  return validate(file) ? [] : describeSchemaErrors(validate.errors);
}

export function grantLevel(g: GrantSpec): AccessLevel {
  return parseAccessLevel(g.level) as AccessLevel;
}

export function grantTarget(g: GrantSpec): { kind: 'repository' | 'namespace'; name: string } {
  return g.repository !== undefined ? { kind: 'repository', name: g.repository } : { kind: 'namespace', name: g.namespace as string };
}

/**
 * Who should be in an org: `explicit` roles come from `members` and the owners team (owner);
 * `implied` members are in another listed team only, and join as member without losing a higher role.
 */
export function desiredRoles(o: OrgSpec): { explicit: Map<string, OrgRole>; implied: Set<string> } {
  const explicit = new Map<string, OrgRole>();
  const implied = new Set<string>();
  for (const m of o.members ?? []) explicit.set(m.user, m.role ?? 'member');
  for (const t of o.teams ?? []) {
    for (const u of t.members ?? []) {
      if (t.name === OWNERS_TEAM) explicit.set(u, 'owner');
      else implied.add(u);
    }
  }
  for (const u of explicit.keys()) implied.delete(u);
  return { explicit, implied };
}

/** Checks beyond the schema: references, duplicates, level names, name collisions, self-lockout. */
export function semanticIssues(store: Store, file: DirectoryFile, actor: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const dup = <T>(items: T[] | undefined, key: (t: T) => string, path: (i: number) => string, what: string) => {
    const seen = new Set<string>();
    (items ?? []).forEach((t, i) => {
      const k = key(t).toLowerCase();
      if (seen.has(k)) add(path(i), `${what} ${k} is listed twice`);
      seen.add(k);
    });
  };
  const checkGrants = (grants: GrantSpec[] | undefined, base: string) =>
    (grants ?? []).forEach((g, i) => {
      if (!parseAccessLevel(g.level)) add(`${base}/${i}/level`, `"${g.level}" is not an access level; use one of: ${ACCESS_LEVEL_SPELLINGS.join(', ')}`);
    });

  dup(
    file.registries,
    (r) => r.host,
    (i) => `/registries/${i}/host`,
    'registry',
  );
  dup(
    file.users,
    (u) => u.name,
    (i) => `/users/${i}/name`,
    'user',
  );
  dup(
    file.orgs,
    (o) => o.name,
    (i) => `/orgs/${i}/name`,
    'org',
  );
  dup(
    file.repositories,
    (r) => r.name,
    (i) => `/repositories/${i}/name`,
    'repository',
  );

  const fileUsers = new Set((file.users ?? []).map((u) => u.name));
  const fileOrgs = new Set((file.orgs ?? []).map((o) => o.name));
  const userExists = (n: string) => fileUsers.has(n) || store.users.byName(n) !== undefined;

  (file.users ?? []).forEach((u, i) => {
    // Users and orgs share one namespace space: a personal namespace is the user's name.
    if (fileOrgs.has(u.name) || store.orgs.byName(u.name)) add(`/users/${i}/name`, `${u.name} is an organization's name; users and orgs share namespaces`);
    if (u.name === actor && u.disabled) add(`/users/${i}/disabled`, `${actor} is applying this file and cannot disable their own account`);
    if (u.name === actor && u.role === 'user' && store.users.byName(actor)?.role !== 'user') {
      add(`/users/${i}/role`, `${actor} is applying this file and cannot drop their own administrator role`);
    }
    checkGrants(u.grants, `/users/${i}/grants`);
  });

  (file.orgs ?? []).forEach((o, i) => {
    const base = `/orgs/${i}`;
    if (fileUsers.has(o.name) || store.users.byName(o.name)) add(`${base}/name`, `${o.name} is a user's personal namespace; users and orgs share namespaces`);
    dup(
      o.members,
      (m) => m.user,
      (j) => `${base}/members/${j}/user`,
      'member',
    );
    dup(
      o.teams,
      (t) => t.name,
      (j) => `${base}/teams/${j}/name`,
      'team',
    );
    const listedRole = new Map((o.members ?? []).map((m) => [m.user, m.role ?? 'member']));
    (o.members ?? []).forEach((m, j) => {
      if (!userExists(m.user)) add(`${base}/members/${j}/user`, `there is no user ${m.user}; add it under users`);
    });
    (o.teams ?? []).forEach((t, j) => {
      (t.members ?? []).forEach((u, k) => {
        const path = `${base}/teams/${j}/members/${k}`;
        if (!userExists(u)) add(path, `there is no user ${u}; add it under users`);
        const role = listedRole.get(u);
        // The owners team IS the owner role: listing someone in it with another role is a contradiction.
        if (t.name === OWNERS_TEAM && role !== undefined && role !== 'owner') add(path, `${u} is in the owners team but listed as ${role} under members`);
      });
      checkGrants(t.grants, `${base}/teams/${j}/grants`);
    });
  });
  return issues;
}
