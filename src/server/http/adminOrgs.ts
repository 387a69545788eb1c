// Admin API: organizations, members, teams, team grants, Image Access Management, org sessions.
import type { ImageAccessSettings, OrgRole } from '../../core/access/accessFacts.js';
import { repositoryNamespace } from '../../core/access/imageCategory.js';
import { isGlobalAdmin, parseAccessLevel } from '../../core/access/permissionLevels.js';
import { decideOrgCreation } from '../../core/access/namespaceClaim.js';
import { grantTarget, type GrantSpec } from '../apply/directoryFile.js';
import { namespaceOccupancy, ORG_CREATE_OVER_NAMESPACE } from '../namespaceOccupancy.js';
import type { ServerContext } from '../context.js';
import { OWNERS_TEAM, type Org } from '../store/orgs.js';
import { orgNamed, requireOrgRole, teamNamed, userNamed } from './adminAuthz.js';
import { sessionView } from './adminUsers.js';
import { HttpError } from './errors.js';
import { auditor, type ApiCall, type ApiRoute } from './routeTable.js';

export function orgRoutes(ctx: ServerContext): ApiRoute[] {
  const { store } = ctx;
  const audit = auditor(ctx);
  const org = (call: ApiCall) => orgNamed(ctx, call.params.org as string);
  const orgView = (o: Org) => ({ name: o.name, imageAccess: o.imageAccess, members: store.orgs.memberCount(o.id), createdAt: o.createdAt });
  /** An org must keep an owner: refuse to remove or demote the last one. */
  const keepAnOwner = (o: Org, userId: number, nextRole: OrgRole | undefined) => {
    if (store.orgs.roleOf(o.id, userId) === 'owner' && nextRole !== 'owner' && store.orgs.ownerCount(o.id) <= 1) {
      throw new HttpError(409, `this would leave ${o.name} without an owner; make someone else an owner first`);
    }
  };

  /** Owners set any team grant; editors set grants on repositories in the org's own namespace. */
  const requireGrantRight = (call: ApiCall, o: Org, target: { kind: string; name: string }) => {
    const editorMay = target.kind === 'repository' && repositoryNamespace(target.name) === o.name;
    requireOrgRole(ctx, call.caller, o, editorMay ? 'editor' : 'owner');
  };

  return [
    {
      method: 'GET',
      path: '/api/v1/orgs',
      response: 'orgList',
      tag: 'orgs',
      summary: 'List orgs: every org for server admins, your orgs otherwise',
      access: 'signed-in users',
      handler: (call) => {
        if (isGlobalAdmin(call.caller.user.role)) return { orgs: store.orgs.list().map(orgView) };
        return { orgs: store.orgs.membershipsOf(call.caller.user.id).map(({ org: o, role }) => ({ ...orgView(o), role })) };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/orgs',
      response: 'orgView',
      tag: 'orgs',
      summary: 'Create an org; the creator becomes its owner',
      access:
        'server admins; any user when the userNamespaces setting allows user collections, except over library, a Verified Publisher ' +
        'or a namespace that holds repositories or grants (server admins only, audited as org.create-over-namespace)',
      body: 'orgCreate',
      status: 201,
      handler: (call: ApiCall<{ name: string }>) => {
        if (!isGlobalAdmin(call.caller.user.role) && !store.settings.get().userNamespaces) {
          throw new HttpError(403, 'this server lets only administrators create organizations');
        }
        if (store.orgs.byName(call.body.name) || store.users.byName(call.body.name)) throw new HttpError(409, `the name ${call.body.name} is taken`);
        return store.transaction(() => {
          const claim = decideOrgCreation(namespaceOccupancy(store, call.body.name), isGlobalAdmin(call.caller.user.role));
          if (!claim.allowed) throw new HttpError(403, claim.reason);
          const o = store.orgs.create(call.body.name);
          store.orgs.setRole(o.id, call.caller.user.id, 'owner');
          if (claim.occupied.length > 0) audit(call, ORG_CREATE_OVER_NAMESPACE, `org ${o.name}`, claim.occupied.join('; '));
          else audit(call, 'org.create', `org ${o.name}`);
          return orgView(store.orgs.byId(o.id) as Org);
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/orgs/:org',
      response: 'orgView',
      tag: 'orgs',
      summary: 'Show an org',
      access: 'members, server admins',
      handler: (call) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'member');
        return orgView(o);
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/orgs/:org',
      tag: 'orgs',
      summary: 'Delete an org with its teams, grants and sessions',
      access: 'owners, server admins',
      status: 204,
      handler: (call) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'owner');
        store.transaction(() => {
          store.orgs.delete(o.id);
          audit(call, 'org.delete', `org ${o.name}`);
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/orgs/:org/image-access',
      response: 'imageAccessView',
      tag: 'orgs',
      summary: 'Image Access Management settings',
      access: 'members (read-only), server admins',
      handler: (call) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'member');
        return o.imageAccess;
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/orgs/:org/image-access',
      response: 'imageAccessView',
      tag: 'orgs',
      summary: 'Change Image Access Management',
      access: 'owners, server admins',
      body: 'imageAccess',
      handler: (call: ApiCall<Partial<ImageAccessSettings>>) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'owner');
        const next = { ...o.imageAccess, ...call.body };
        store.transaction(() => {
          store.orgs.setImageAccess(o.id, next);
          audit(call, 'org.image-access', `org ${o.name}`, JSON.stringify(call.body));
        });
        return next;
      },
    },
    {
      method: 'GET',
      path: '/api/v1/orgs/:org/members',
      response: 'memberList',
      tag: 'members',
      summary: 'List members and roles',
      access: 'members, server admins',
      handler: (call) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'member');
        return { members: store.orgs.members(o.id).map((m) => ({ user: m.user, role: m.role, disabled: m.disabled })) };
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/orgs/:org/members/:user',
      response: 'memberView',
      tag: 'members',
      summary: "Add a member or set a member's role (owner = the owners team)",
      access: 'owners, server admins',
      body: 'memberRole',
      handler: (call: ApiCall<{ role: OrgRole }>) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'owner');
        const user = userNamed(ctx, call.params.user as string);
        keepAnOwner(o, user.id, call.body.role);
        store.transaction(() => {
          store.orgs.setRole(o.id, user.id, call.body.role);
          audit(call, 'org.member.role', `org ${o.name}`, `${user.name}: ${call.body.role}`);
        });
        return { user: user.name, role: call.body.role };
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/orgs/:org/members/:user',
      tag: 'members',
      summary: 'Remove a member (or leave the org)',
      access: 'owners, server admins; a member may remove themselves',
      status: 204,
      handler: (call) => {
        const o = org(call);
        const user = userNamed(ctx, call.params.user as string);
        if (user.id !== call.caller.user.id) requireOrgRole(ctx, call.caller, o, 'owner');
        keepAnOwner(o, user.id, undefined);
        store.transaction(() => {
          if (!store.orgs.removeMember(o.id, user.id)) throw new HttpError(404, `${user.name} is not a member of ${o.name}`);
          audit(call, 'org.member.remove', `org ${o.name}`, user.name);
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/orgs/:org/teams',
      response: 'teamList',
      tag: 'teams',
      summary: 'List teams with members and grants',
      access: 'members, server admins',
      handler: (call) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'member');
        return {
          teams: store.orgs.teams(o.id).map((t) => ({
            name: t.name,
            description: t.description,
            members: store.orgs.teamMembers(t.id).map((m) => m.user),
            grants: store.grants.of({ team: t.id }).map((g) => ({ [g.target.kind]: g.target.name, level: g.level })),
          })),
        };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/orgs/:org/teams',
      response: 'teamView',
      tag: 'teams',
      summary: 'Create a team',
      access: 'owners, server admins',
      body: 'teamCreate',
      status: 201,
      handler: (call: ApiCall<{ name: string; description?: string }>) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'owner');
        if (store.orgs.team(o.id, call.body.name)) throw new HttpError(409, `${o.name} already has a team ${call.body.name}`);
        return store.transaction(() => {
          const t = store.orgs.createTeam(o.id, call.body.name, call.body.description ?? '');
          audit(call, 'team.create', `team ${o.name}/${t.name}`);
          return { name: t.name, description: t.description, members: [], grants: [] };
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/orgs/:org/teams/:team',
      tag: 'teams',
      summary: 'Delete a team (not owners)',
      access: 'owners, server admins',
      status: 204,
      handler: (call) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'owner');
        const t = teamNamed(ctx, o, call.params.team as string);
        if (t.name === OWNERS_TEAM) throw new HttpError(409, 'the owners team is the owner role and cannot be deleted');
        store.transaction(() => {
          store.orgs.deleteTeam(t.id);
          audit(call, 'team.delete', `team ${o.name}/${t.name}`);
        });
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/orgs/:org/teams/:team/members/:user',
      tag: 'teams',
      summary: 'Add a user to a team (to owners = make an owner)',
      access: 'owners, server admins',
      status: 204,
      handler: (call) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'owner');
        const t = teamNamed(ctx, o, call.params.team as string);
        const user = userNamed(ctx, call.params.user as string);
        store.transaction(() => {
          store.orgs.addTeamMember(t, user.id);
          audit(call, 'team.member.add', `team ${o.name}/${t.name}`, user.name);
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/orgs/:org/teams/:team/members/:user',
      tag: 'teams',
      summary: 'Remove a user from a team',
      access: 'owners, server admins',
      status: 204,
      handler: (call) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'owner');
        const t = teamNamed(ctx, o, call.params.team as string);
        const user = userNamed(ctx, call.params.user as string);
        if (t.name === OWNERS_TEAM) keepAnOwner(o, user.id, 'member');
        store.transaction(() => {
          // Leaving the owners team is demotion to member (one source of truth).
          if (t.name === OWNERS_TEAM) store.orgs.setRole(o.id, user.id, 'member');
          else if (!store.orgs.removeTeamMember(t.id, user.id)) throw new HttpError(404, `${user.name} is not in ${o.name}/${t.name}`);
          audit(call, 'team.member.remove', `team ${o.name}/${t.name}`, user.name);
        });
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/orgs/:org/teams/:team/grants',
      response: 'teamGrantView',
      tag: 'grants',
      summary: "Set a team's level on a repository or namespace",
      access: "owners, server admins; editors for repositories in the org's namespace",
      body: 'teamGrant',
      handler: (call: ApiCall<GrantSpec>) => {
        const o = org(call);
        const t = teamNamed(ctx, o, call.params.team as string);
        const target = grantTarget(call.body);
        requireGrantRight(call, o, target);
        const level = parseAccessLevel(call.body.level);
        if (!level)
          throw new HttpError(400, `/level: "${call.body.level}" is not an access level`, { errors: [{ path: '/level', message: 'is not an access level' }] });
        store.transaction(() => {
          store.grants.set({ team: t.id }, target, level);
          audit(call, 'grant.set', `team ${o.name}/${t.name}`, `${target.kind} ${target.name}: ${level}`);
        });
        return { [target.kind]: target.name, level };
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/orgs/:org/teams/:team/grants',
      tag: 'grants',
      summary: "Remove a team's grant",
      access: 'as for setting it',
      body: 'teamGrantRemove',
      status: 204,
      handler: (call: ApiCall<{ repository?: string; namespace?: string }>) => {
        const o = org(call);
        const t = teamNamed(ctx, o, call.params.team as string);
        const target = grantTarget({ ...call.body, level: 'none' });
        requireGrantRight(call, o, target);
        store.transaction(() => {
          if (!store.grants.remove({ team: t.id }, target)) throw new HttpError(404, `${o.name}/${t.name} has no grant on ${target.kind} ${target.name}`);
          audit(call, 'grant.remove', `team ${o.name}/${t.name}`, `${target.kind} ${target.name}`);
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/orgs/:org/sessions',
      response: 'sessionList',
      tag: 'sessions',
      summary: 'List agent sessions for the org',
      access: 'owners, server admins',
      handler: (call) => {
        const o = org(call);
        requireOrgRole(ctx, call.caller, o, 'owner');
        return { sessions: store.sessions.list({ orgId: o.id, includeRevoked: call.query.all === 'true' }).map(sessionView) };
      },
    },
  ];
}
