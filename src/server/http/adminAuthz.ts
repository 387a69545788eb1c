// Authorization for the admin API, checked on every route. Server admins manage everything;
// an org's owners manage the org; editors manage the org's repositories and their grants;
// members read. Nobody reaches another org through their role in one org.
import type { AccessLevel, OrgRole } from '../../core/access/accessFacts.js';
import { repositoryNamespace } from '../../core/access/imageCategory.js';
import { highestAccessLevel, isGlobalAdmin, orgRoleAtLeast } from '../../core/access/permissionLevels.js';
import type { Authenticated } from '../auth/authenticator.js';
import type { ServerContext } from '../context.js';
import type { Org, Team } from '../store/orgs.js';
import type { Repository } from '../store/repositories.js';
import type { User } from '../store/users.js';
import { HttpError } from './errors.js';

export function requireServerAdmin(caller: Authenticated): void {
  if (!isGlobalAdmin(caller.user.role)) throw new HttpError(403, `${caller.user.name} is not a Bosun administrator`);
}

export function userNamed(ctx: ServerContext, name: string): User {
  const user = ctx.store.users.byName(name);
  if (!user) throw new HttpError(404, `there is no user ${name}`);
  return user;
}

/**
 * The named account, for its owner or a server admin. Others get the same 403 whether or not the
 * account exists, so the admin API does not reveal who has an account.
 */
export function selfOrAdmin(ctx: ServerContext, caller: Authenticated, name: string): User {
  const self = caller.user.name === name.toLowerCase();
  if (!self && !isGlobalAdmin(caller.user.role)) throw new HttpError(403, `${caller.user.name} may manage only their own account`);
  return userNamed(ctx, name);
}

export function orgNamed(ctx: ServerContext, name: string): Org {
  const org = ctx.store.orgs.byName(name);
  if (!org) throw new HttpError(404, `organization ${name} does not exist`);
  return org;
}

/** The caller's standing in an org: a server admin passes every check; otherwise the role must reach `minimum`. */
export function requireOrgRole(ctx: ServerContext, caller: Authenticated, org: Org, minimum: OrgRole): OrgRole | 'server-admin' {
  if (isGlobalAdmin(caller.user.role)) return 'server-admin';
  const role = ctx.store.orgs.roleOf(org.id, caller.user.id);
  if (!role) throw new HttpError(403, `${caller.user.name} is not a member of ${org.name}`);
  if (!orgRoleAtLeast(role, minimum))
    throw new HttpError(403, `this needs the ${minimum} role in ${org.name}; ${caller.user.name} is ${role === 'editor' ? 'an' : 'a'} ${role}`);
  return role;
}

export function teamNamed(ctx: ServerContext, org: Org, name: string): Team {
  const team = ctx.store.orgs.team(org.id, name);
  if (!team) throw new HttpError(404, `${org.name} has no team ${name}`);
  return team;
}

export function repositoryNamed(ctx: ServerContext, name: string): Repository {
  const repo = ctx.store.repositories.byName(name);
  if (!repo) throw new HttpError(404, `repository ${name} does not exist or you have no access to it`);
  return repo;
}

/**
 * The caller's level on a repository, outside Image Access Management (which governs pulls, not
 * administration): server admin, personal namespace owner, org owner or editor → admin; else the
 * highest grant; public → at least read.
 */
export function levelOnRepository(ctx: ServerContext, user: User, repo: Repository): AccessLevel {
  if (isGlobalAdmin(user.role)) return 'admin';
  const ns = repositoryNamespace(repo.name);
  if (ns === user.name) return 'admin';
  const org = ctx.store.orgs.byName(ns);
  const role = org ? ctx.store.orgs.roleOf(org.id, user.id) : undefined;
  if (role === 'owner' || role === 'editor') return 'admin';
  const granted = ctx.store.grants.levelFor(user.id, repo.name, ns);
  return highestAccessLevel(granted, repo.visibility === 'public' ? 'read' : 'none');
}

/** Repositories the caller cannot read look absent (404), like on the registry. */
export function requireRepositoryLevel(ctx: ServerContext, caller: Authenticated, repo: Repository, minimum: AccessLevel, what: string): void {
  const level = levelOnRepository(ctx, caller.user, repo);
  if (level === 'none') throw new HttpError(404, `repository ${repo.name} does not exist or you have no access to it`);
  if (highestAccessLevel(level, minimum) !== level) throw new HttpError(403, `${what} ${repo.name} needs ${minimum} access; ${caller.user.name} has ${level}`);
}
