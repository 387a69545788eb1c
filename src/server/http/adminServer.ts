// Admin API: server settings, registries, session revocation, and the audit log.
import { isGlobalAdmin } from '../../core/access/permissionLevels.js';
import type { ServerContext } from '../context.js';
import type { Registry, ServerSettings } from '../store/settings.js';
import { requireServerAdmin } from './adminAuthz.js';
import { HttpError } from './errors.js';
import { auditor, type ApiCall, type ApiRoute } from './routeTable.js';

export function serverRoutes(ctx: ServerContext): ApiRoute[] {
  const { store } = ctx;
  const audit = auditor(ctx);
  return [
    {
      method: 'GET',
      path: '/api/v1/settings',
      response: 'settingsView',
      tag: 'server',
      summary: 'Server settings',
      access: 'server admins',
      handler: (call) => {
        requireServerAdmin(call.caller);
        return store.settings.get();
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/settings',
      response: 'settingsView',
      tag: 'server',
      summary: 'Change server settings',
      access: 'server admins',
      body: 'settingsUpdate',
      handler: (call: ApiCall<Partial<ServerSettings>>) => {
        requireServerAdmin(call.caller);
        store.transaction(() => {
          const changed = store.settings.update(call.body);
          if (changed.length) audit(call, 'settings.update', 'server', changed.map((k) => `${k}=${JSON.stringify(call.body[k])}`).join(', '));
        });
        return store.settings.get();
      },
    },
    {
      method: 'GET',
      path: '/api/v1/registries',
      response: 'registryList',
      tag: 'server',
      summary: 'Registries this server authorizes',
      access: 'signed-in users',
      handler: () => ({ registries: store.settings.registries() }),
    },
    {
      method: 'PUT',
      path: '/api/v1/registries',
      response: 'registryList',
      tag: 'server',
      summary: 'Replace the list of registries',
      access: 'server admins',
      body: 'registriesPut',
      handler: (call: ApiCall<{ registries: Registry[] }>) => {
        requireServerAdmin(call.caller);
        store.transaction(() => {
          const keep = new Set(call.body.registries.map((r) => r.host.toLowerCase()));
          for (const r of store.settings.registries()) if (!keep.has(r.host.toLowerCase())) store.settings.deleteRegistry(r.host);
          for (const r of call.body.registries) store.settings.upsertRegistry(r);
          audit(call, 'registries.update', 'server', call.body.registries.map((r) => `${r.host}=${r.service}`).join(', '));
        });
        return { registries: store.settings.registries() };
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/sessions/:id',
      tag: 'sessions',
      summary: 'Revoke an agent session (its refresh token)',
      access: "the session's user, owners of the session's org, server admins",
      status: 204,
      handler: (call) => {
        const s = store.sessions.byId(Number(call.params.id));
        const caller = call.caller.user;
        const allowed = s && (s.userId === caller.id || isGlobalAdmin(caller.role) || (s.orgId !== null && store.orgs.roleOf(s.orgId, caller.id) === 'owner'));
        if (!s || !allowed) throw new HttpError(404, `there is no session ${call.params.id} you can manage`);
        store.transaction(() => {
          store.sessions.revoke(s.id);
          audit(call, 'session.revoke', `session ${s.id}`, `${s.user} in ${s.org ?? '(no org)'} on ${s.deviceName}`);
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/audit',
      response: 'auditList',
      tag: 'audit',
      summary: 'The audit log, newest first (?actor=&action=&limit=&before=)',
      access: 'server admins',
      handler: (call) => {
        requireServerAdmin(call.caller);
        const limit = Math.min(1000, Math.max(1, Number(call.query.limit ?? 100) || 100));
        return {
          records: store.audit.list({
            ...(call.query.actor ? { actor: call.query.actor } : {}),
            ...(call.query.action ? { action: call.query.action } : {}),
            ...(call.query.before ? { beforeId: Number(call.query.before) } : {}),
            limit,
          }),
        };
      },
    },
  ];
}
