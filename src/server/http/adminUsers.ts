// Admin API: users, their personal access tokens and their agent sessions.
import { isGlobalAdmin } from '../../core/access/permissionLevels.js';
import type { GlobalRole, PatScope } from '../../core/access/accessFacts.js';
import { describeRevoked, revokeUserTokens } from '../auth/revokeUserTokens.js';
import type { ServerContext } from '../context.js';
import { hashPassword } from '../store/secrets.js';
import type { AgentSession } from '../store/sessions.js';
import type { User } from '../store/users.js';
import { requireServerAdmin, selfOrAdmin, userNamed } from './adminAuthz.js';
import { HttpError } from './errors.js';
import { auditor, type ApiCall, type ApiRoute } from './routeTable.js';

const userView = (u: User) => ({ name: u.name, role: u.role, disabled: u.disabled, createdAt: u.createdAt });
export const sessionView = (s: AgentSession) => ({
  id: s.id,
  user: s.user,
  org: s.org,
  deviceId: s.deviceId,
  deviceName: s.deviceName,
  createdAt: s.createdAt,
  lastUsedAt: s.lastUsedAt,
  revokedAt: s.revokedAt,
  fromPersonalAccessToken: s.patId !== null,
});

/** Only a superuser hands out or takes away the superuser role. */
function checkRoleChange(call: ApiCall, from: GlobalRole | undefined, to: GlobalRole): void {
  requireServerAdmin(call.caller);
  if ((to === 'superuser' || from === 'superuser') && call.caller.user.role !== 'superuser') {
    throw new HttpError(403, 'only a superuser may grant or remove the superuser role');
  }
}

export function userRoutes(ctx: ServerContext): ApiRoute[] {
  const { store } = ctx;
  const audit = auditor(ctx);
  return [
    {
      method: 'GET',
      path: '/api/v1/users',
      response: 'userList',
      tag: 'users',
      summary: 'List users',
      access: 'server admins',
      handler: (call) => {
        requireServerAdmin(call.caller);
        return { users: store.users.list().map(userView) };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/users',
      response: 'userView',
      tag: 'users',
      summary: 'Create a user',
      access: 'server admins',
      body: 'userCreate',
      status: 201,
      handler: async (call: ApiCall<{ name: string; password?: string; role?: GlobalRole; disabled?: boolean }>) => {
        checkRoleChange(call, undefined, call.body.role ?? 'user');
        if (store.users.byName(call.body.name) || store.orgs.byName(call.body.name)) throw new HttpError(409, `the name ${call.body.name} is taken`);
        const passwordHash = call.body.password ? await hashPassword(call.body.password) : null;
        const user = store.transaction(() => {
          const u = store.users.create({ name: call.body.name, passwordHash, role: call.body.role ?? 'user', disabled: call.body.disabled ?? false });
          audit(call, 'user.create', `user ${u.name}`, u.role);
          return u;
        });
        return userView(user);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/users/:user',
      response: 'userView',
      tag: 'users',
      summary: 'Show a user',
      access: 'the user, server admins',
      handler: (call) => {
        const user = selfOrAdmin(ctx, call.caller, call.params.user as string);
        return userView(user);
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/users/:user',
      response: 'userView',
      tag: 'users',
      summary: 'Change password, role or state',
      access: 'server admins; a user may change their own password',
      body: 'userUpdate',
      handler: async (call: ApiCall<{ password?: string; role?: GlobalRole; disabled?: boolean }>) => {
        const user = selfOrAdmin(ctx, call.caller, call.params.user as string);
        const self = user.id === call.caller.user.id;
        if (call.body.role !== undefined || call.body.disabled !== undefined || !self) requireServerAdmin(call.caller);
        if (call.body.role !== undefined) checkRoleChange(call, user.role, call.body.role);
        if (user.role === 'superuser' && call.caller.user.role !== 'superuser' && !self) throw new HttpError(403, 'only a superuser may change a superuser');
        if (self && (call.body.disabled || (call.body.role && !isGlobalAdmin(call.body.role))))
          throw new HttpError(409, 'you cannot disable yourself or drop your own administrator role');
        if (self && call.body.password && call.caller.credential.kind !== 'password')
          throw new HttpError(403, 'changing your password needs a password sign-in');
        const hash = call.body.password ? await hashPassword(call.body.password) : undefined;
        store.transaction(() => {
          if (call.body.disabled !== undefined) store.users.setDisabled(user.id, call.body.disabled);
          if (call.body.role !== undefined) store.users.setRole(user.id, call.body.role);
          if (hash) store.users.setPasswordHash(user.id, hash);
          // A disable or a new password ends the account's tokens (what each ends: src/core/authentication/tokenRevocation.ts).
          const disabling = call.body.disabled === true && !user.disabled;
          const revoked = disabling ? revokeUserTokens(store, user.id, 'disabled') : hash ? revokeUserTokens(store, user.id, 'password-changed') : undefined;
          const what = [
            call.body.disabled !== undefined ? (call.body.disabled ? 'disabled' : 'enabled') : '',
            call.body.role ? `role ${call.body.role}` : '',
            hash ? 'password changed' : '',
            revoked ? describeRevoked(revoked) : '',
          ];
          audit(call, 'user.update', `user ${user.name}`, what.filter(Boolean).join(', '));
        });
        return userView(store.users.byId(user.id) as User);
      },
    },
    {
      method: 'POST',
      path: '/api/v1/users/:user/sign-out-everywhere',
      tag: 'users',
      status: 204,
      summary:
        'Sign out everywhere: revoke every agent session, docker-login refresh token and personal access token of the user, and refuse their earlier access tokens',
      access: 'the user, server admins',
      handler: (call) => {
        const user = selfOrAdmin(ctx, call.caller, call.params.user as string);
        if (user.role === 'superuser' && call.caller.user.role !== 'superuser' && user.id !== call.caller.user.id)
          throw new HttpError(403, 'only a superuser may sign out a superuser');
        store.transaction(() => {
          const revoked = revokeUserTokens(store, user.id, 'sign-out-everywhere');
          audit(call, 'user.sign-out-everywhere', `user ${user.name}`, describeRevoked(revoked));
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/users/:user',
      tag: 'users',
      summary: 'Delete a user',
      access: 'server admins (not yourself)',
      status: 204,
      handler: (call) => {
        requireServerAdmin(call.caller);
        const user = userNamed(ctx, call.params.user as string);
        if (user.id === call.caller.user.id) throw new HttpError(409, 'you cannot delete your own account');
        if (user.role === 'superuser' && call.caller.user.role !== 'superuser') throw new HttpError(403, 'only a superuser may delete a superuser');
        store.transaction(() => {
          store.users.delete(user.id);
          audit(call, 'user.delete', `user ${user.name}`);
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/users/:user/tokens',
      response: 'tokenList',
      tag: 'tokens',
      summary: "List a user's personal access tokens (never their secrets)",
      access: 'the user, server admins',
      handler: (call) => {
        const user = selfOrAdmin(ctx, call.caller, call.params.user as string);
        return { tokens: store.pats.of(user.id).map(({ userId: _u, ...t }) => t) };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/users/:user/tokens',
      response: 'tokenCreated',
      tag: 'tokens',
      summary: 'Create a personal access token; the secret is shown once',
      access: 'the user, signed in with a password',
      body: 'tokenCreate',
      status: 201,
      handler: (call: ApiCall<{ label: string; scopes: PatScope[]; expiresInDays?: number }>) => {
        if ((call.params.user as string).toLowerCase() !== call.caller.user.name)
          throw new HttpError(403, 'a personal access token can only be created by its owner');
        const user = call.caller.user;
        // A token must not mint a stronger token.
        if (call.caller.credential.kind !== 'password') throw new HttpError(403, 'creating a personal access token needs a password sign-in');
        const expires = call.body.expiresInDays ? new Date(Date.now() + call.body.expiresInDays * 86_400_000) : undefined;
        const { token, secret } = store.transaction(() => {
          const created = store.pats.create(user.id, call.body.label, call.body.scopes, expires);
          audit(call, 'token.create', `token ${created.token.id}`, `${call.body.label}: ${call.body.scopes.join(', ')}`);
          return created;
        });
        const { userId: _u, ...view } = token;
        return { ...view, token: secret };
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/users/:user/tokens/:id',
      tag: 'tokens',
      summary: 'Revoke a personal access token',
      access: 'the user, server admins',
      status: 204,
      handler: (call) => {
        const user = selfOrAdmin(ctx, call.caller, call.params.user as string);
        const pat = store.pats.byId(Number(call.params.id));
        if (!pat || pat.userId !== user.id) throw new HttpError(404, `${user.name} has no token ${call.params.id}`);
        store.transaction(() => {
          store.pats.revoke(pat.id);
          audit(call, 'token.revoke', `token ${pat.id}`, pat.label);
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/users/:user/sessions',
      response: 'sessionList',
      tag: 'sessions',
      summary: "List a user's agent sessions",
      access: 'the user, server admins',
      handler: (call) => {
        const user = selfOrAdmin(ctx, call.caller, call.params.user as string);
        return { sessions: store.sessions.list({ userId: user.id, kind: 'agent', includeRevoked: call.query.all === 'true' }).map(sessionView) };
      },
    },
  ];
}
