// The Docker-Hub-compatible account API, with Hub's paths and field names, so the agent's HubClient
// works against Bosun and Hub alike (src/server/README.md, "HTTP API"). Teams are "groups" here, as on Hub.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OrgRole } from '../../core/access/accessFacts.js';
import { isGlobalAdmin } from '../../core/access/permissionLevels.js';
import type { Authenticated } from '../auth/authenticator.js';
import type { ServerContext } from '../context.js';
import type { Org } from '../store/orgs.js';
import { HttpError, parseBody, refusal, requireAccount, requireWriteCredential } from './errors.js';
import { pageOf, paginated } from './paging.js';

interface OrgAccess {
  org: Org;
  /** The caller's role in the org; undefined for a global admin who is not a member. */
  role: OrgRole | undefined;
  admin: boolean;
}

/** The org named in the path, if the caller may see it: a member, or a server admin. */
function orgFor(ctx: ServerContext, caller: Pick<Authenticated, 'user'>, name: string): OrgAccess {
  const org = ctx.store.orgs.byName(name);
  if (!org) throw new HttpError(404, `organization ${name} does not exist`);
  const role = ctx.store.orgs.roleOf(org.id, caller.user.id);
  const admin = isGlobalAdmin(caller.user.role);
  if (!role && !admin) throw new HttpError(403, `${caller.user.name} is not a member of ${org.name}`);
  return { org, role, admin };
}

function restrictedImages(org: Org) {
  const s = org.imageAccess;
  return { enabled: s.enabled, allow_official_images: s.allowOfficial, allow_verified_publishers: s.allowVerifiedPublishers };
}

export function registerHubRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;

  const signIn = async (request: FastifyRequest, identifier: string, secret: string, via: string) => {
    const r = await ctx.auth.signIn(identifier, secret, request.ip, via);
    if (!r.ok) throw refusal(r);
    return ctx.accountTokens.issue({ user: r.user.name, patId: r.patId });
  };

  app.post('/v2/auth/token', async (request) => {
    const body = parseBody<{ identifier: string; secret: string }>('hubAuthToken', request.body);
    const { token } = await signIn(request, body.identifier, body.secret, 'v2/auth/token');
    return { access_token: token };
  });

  // Hub's older sign-in, kept for compatibility: {username, password} → {token}.
  app.post('/v2/users/login', async (request) => {
    const body = parseBody<{ username: string; password: string }>('hubUsersLogin', request.body);
    const { token } = await signIn(request, body.username, body.password, 'v2/users/login');
    return { token };
  });

  app.get('/v2/user/', async (request) => {
    const { user } = await requireAccount(ctx, request);
    return { id: String(user.id), username: user.name, full_name: '', type: 'User', date_joined: user.createdAt };
  });

  app.get('/v2/user/orgs/', async (request) => {
    const { user } = await requireAccount(ctx, request);
    const p = pageOf(request);
    const rows = store.orgs.membershipsOf(user.id, { limit: p.pageSize, offset: p.offset });
    const results = rows.map(({ org, role }) => ({
      id: String(org.id),
      orgname: org.name,
      full_name: '',
      type: 'Organization',
      role,
      date_joined: org.createdAt,
    }));
    return paginated(request, p, store.orgs.membershipCount(user.id), results);
  });

  app.get('/v2/orgs/:org/members', async (request) => {
    const caller = await requireAccount(ctx, request);
    const { org } = orgFor(ctx, caller, (request.params as { org: string }).org);
    const p = pageOf(request);
    const members = store.orgs.members(org.id, { limit: p.pageSize, offset: p.offset });
    const results = members.map((m) => ({ id: String(m.userId), username: m.user, full_name: '', role: m.role, is_active: !m.disabled }));
    return paginated(request, p, store.orgs.memberCount(org.id), results);
  });

  app.get('/v2/orgs/:org/groups', async (request) => {
    const caller = await requireAccount(ctx, request);
    const { org } = orgFor(ctx, caller, (request.params as { org: string }).org);
    const p = pageOf(request);
    const teams = store.orgs.teams(org.id);
    const results = teams
      .slice(p.offset, p.offset + p.pageSize)
      .map((t) => ({ id: t.id, name: t.name, description: t.description, member_count: store.orgs.teamMembers(t.id).length }));
    return paginated(request, p, teams.length, results);
  });

  app.get('/v2/orgs/:org/groups/:group/members', async (request) => {
    const caller = await requireAccount(ctx, request);
    const params = request.params as { org: string; group: string };
    const { org } = orgFor(ctx, caller, params.org);
    const team = store.orgs.team(org.id, params.group);
    if (!team) throw new HttpError(404, `${org.name} has no group ${params.group}`);
    const p = pageOf(request);
    const members = store.orgs.teamMembers(team.id);
    const results = members.slice(p.offset, p.offset + p.pageSize).map((m) => ({ id: String(m.userId), username: m.user, full_name: '' }));
    return paginated(request, p, members.length, results);
  });

  // Image Access Management: members read it (the agent shows it), only owners and admins change it.
  // The agent's org-bound refresh token may read its own org's settings too (the tray's Organization
  // permissions window): read-only, and only for the session's org.
  app.get('/v2/orgs/:org/settings', async (request) => {
    const name = (request.params as { org: string }).org;
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const agentSession = bearer ? ctx.auth.refresh(bearer) : undefined;
    const caller =
      agentSession && !agentSession.user.disabled && agentSession.session.org === name.toLowerCase()
        ? { user: agentSession.user }
        : await requireAccount(ctx, request);
    const { org } = orgFor(ctx, caller, name);
    return { restricted_images: restrictedImages(org) };
  });

  app.put('/v2/orgs/:org/settings', async (request) => {
    const caller = await requireAccount(ctx, request);
    const { org, role, admin } = orgFor(ctx, caller, (request.params as { org: string }).org);
    if (role !== 'owner' && !admin) throw new HttpError(403, `only owners of ${org.name} may change its settings`);
    requireWriteCredential(caller);
    const body = parseBody<{ restricted_images: { enabled?: boolean; allow_official_images?: boolean; allow_verified_publishers?: boolean } }>(
      'hubOrgSettings',
      request.body,
    );
    const r = body.restricted_images;
    const next = {
      ...org.imageAccess,
      ...(r.enabled !== undefined ? { enabled: r.enabled } : {}),
      ...(r.allow_official_images !== undefined ? { allowOfficial: r.allow_official_images } : {}),
      ...(r.allow_verified_publishers !== undefined ? { allowVerifiedPublishers: r.allow_verified_publishers } : {}),
    };
    store.transaction(() => {
      store.orgs.setImageAccess(org.id, next);
      ctx.audit({ actor: caller.user.name, ip: request.ip, action: 'org.image-access', target: `org ${org.name}`, detail: JSON.stringify(r) });
    });
    return { restricted_images: restrictedImages({ ...org, imageAccess: next }) };
  });
}
