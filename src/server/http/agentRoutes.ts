// Endpoints the Bosun agent calls (src/agent/account/bosunAccount.ts): discovery of the registries
// this server protects, and agent sessions, whose refresh token is bound to (user, org, device).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RefreshTokenOwner } from '../auth/authenticator.js';
import type { ServerContext } from '../context.js';
import { HttpError, parseBody, requireAccount } from './errors.js';

function refreshTokenOf(request: FastifyRequest): string {
  const m = /^bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!m?.[1]) throw new HttpError(401, 'a refresh token is required (Authorization: Bearer …)');
  return m[1];
}

/** The live session of the request's refresh token; 401 with the reason when it was revoked or has run out (absolute or idle lifetime). */
function liveSession(ctx: ServerContext, request: FastifyRequest): RefreshTokenOwner {
  const owner = ctx.auth.refreshTokenOwner(refreshTokenOf(request));
  if (!owner) throw new HttpError(401, 'this Bosun session was revoked; sign in again');
  const state = ctx.auth.refreshTokenState(owner, Date.now());
  if (!state.live) throw new HttpError(401, `this Bosun session has expired: ${state.reason}`);
  return owner;
}

export function registerAgentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;

  app.get('/.well-known/bosun', async () => {
    const settings = store.settings.get();
    return {
      registries: store.settings.registries(),
      account_api: ctx.publicUrl(),
      device_authorization_endpoint: new URL('/oauth/device/code', ctx.publicUrl()).toString(),
      // For `bosun doctor`: whether signing out skips Image Access Management (docs/permission-model.md).
      anonymous_pull: settings.anonymousPull,
      anonymous_pull_image_access: settings.anonymousPullImageAccess,
    };
  });

  app.post('/api/v1/agent/sessions', async (request, reply) => {
    const caller = await requireAccount(ctx, request);
    const body = parseBody<{ org: string; device_id: string; device_name: string }>('agentSessionCreate', request.body);
    const org = store.orgs.byName(body.org);
    const role = org ? store.orgs.roleOf(org.id, caller.user.id) : undefined;
    if (!org || !role) throw new HttpError(403, `${caller.user.name} is not a member of ${body.org}`);
    const { session, refreshToken } = store.transaction(() => {
      // A new sign-in on a device replaces (revokes) the user's earlier sessions on that device.
      const issued = store.sessions.issue({
        userId: caller.user.id,
        orgId: org.id,
        deviceId: body.device_id,
        deviceName: body.device_name,
        patId: caller.patId,
      });
      ctx.audit({
        actor: caller.user.name,
        ip: request.ip,
        action: 'session.create',
        target: `session ${issued.session.id}`,
        detail: `org ${org.name}, device ${body.device_name} (${body.device_id})${issued.replaced.length ? `; replaces session ${issued.replaced.join(', ')}` : ''}`,
      });
      for (const id of issued.replaced) {
        ctx.audit({
          actor: caller.user.name,
          ip: request.ip,
          action: 'session.revoke',
          target: `session ${id}`,
          detail: `replaced by session ${issued.session.id} on device ${body.device_id}`,
        });
      }
      return issued;
    });
    return reply.code(201).send({ refresh_token: refreshToken, session_id: session.id, user: caller.user.name, org: org.name });
  });

  // The agent's periodic check: is this session still good, and still a member?
  app.get('/api/v1/agent/sessions/current', async (request, reply) => {
    const { session, user } = liveSession(ctx, request);
    store.sessions.markUsed(session.id);
    // A session without an org (opened by the token service) has no membership to lose.
    const member = session.orgId === null || store.orgs.roleOf(session.orgId, user.id) !== undefined;
    const state = { org: session.org, user: user.name, member, disabled: user.disabled };
    if (user.disabled) return reply.code(403).send({ ...state, message: `account ${user.name} is disabled. Ask a Bosun administrator.` });
    if (!member) {
      return reply
        .code(403)
        .send({ ...state, message: `${user.name} is no longer a member of ${session.org}. Ask an owner of ${session.org}, then sign in again.` });
    }
    return state;
  });

  app.delete('/api/v1/agent/sessions/current', async (request, reply) => {
    // Signing out needs no lifetime check: revoking a token that has run out is harmless.
    const found = ctx.auth.refreshTokenOwner(refreshTokenOf(request));
    if (!found) throw new HttpError(401, 'this Bosun session was already revoked');
    store.transaction(() => {
      store.sessions.revoke(found.session.id);
      ctx.audit({ actor: found.user.name, ip: request.ip, action: 'session.revoke', target: `session ${found.session.id}`, detail: 'signed out by the agent' });
    });
    return reply.code(204).send();
  });
}
