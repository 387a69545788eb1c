// Bosun's own API as a table of routes: each declares its method, path, who may call it, and the
// schema of its body. The same table registers the fastify routes and generates the OpenAPI
// document (openapi.ts), so the documentation cannot drift from what is served.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticated } from '../auth/authenticator.js';
import type { ServerContext } from '../context.js';
import { schemaRegistry, describeSchemaErrors } from '../../common/schemas.js';
import { HttpError, describe, parseBody, requireAccount, requireWriteCredential } from './errors.js';

export const ADMIN_SCHEMA_FILE = 'admin-api.schema.json';

export interface ApiCall<B = unknown> {
  caller: Authenticated;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: B;
  ip: string;
  request: FastifyRequest;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path syntax (`:param`). */
  path: string;
  summary: string;
  /** Who may call it, in words (for the OpenAPI description); the handler enforces it. */
  access: string;
  /** `$defs` name in schemas/admin-api.schema.json. */
  body?: string;
  /** `$defs` name of the response body in schemas/admin-api.schema.json (none for 204). */
  response?: string;
  /** Success status (200 by default). */
  status?: number;
  tag: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler(call: ApiCall<any>): Promise<unknown> | unknown;
}

export function registerRouteTable(app: FastifyInstance, ctx: ServerContext, routes: readonly ApiRoute[]): void {
  for (const route of routes) {
    const validateResponse = route.response ? schemaRegistry().getSchema(`${ADMIN_SCHEMA_FILE}#/$defs/${route.response}`) : undefined;
    if (route.response && !validateResponse) throw new Error(`${ADMIN_SCHEMA_FILE} has no $defs/${route.response}`);
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const caller = await requireAccount(ctx, request);
        if (route.method !== 'GET') requireWriteCredential(caller);
        const body = route.body ? parseBody(route.body, request.body, ADMIN_SCHEMA_FILE) : undefined;
        const result = await route.handler({
          caller,
          params: request.params as Record<string, string>,
          query: request.query as Record<string, string | undefined>,
          body,
          ip: request.ip,
          request,
        });
        // Responses are checked too: a body that breaks its documented schema is a server bug, and
        // it fails loudly (500, logged) rather than reaching clients that trust the OpenAPI document.
        if (validateResponse && !validateResponse(result)) {
          ctx.logger.error('response broke its schema', {
            route: `${route.method} ${route.path}`,
            errors: describe(describeSchemaErrors(validateResponse.errors)),
          });
          throw new HttpError(500, 'internal error: the response did not match its schema; the server log has the details');
        }
        const status = route.status ?? 200;
        return status === 204 ? reply.code(204).send() : reply.code(status).send(result);
      },
    });
  }
}

/** Writes the audit record of an admin-API change, naming the caller and their address. */
export function auditor(ctx: ServerContext): (call: ApiCall, action: string, target: string, detail?: string) => void {
  return (call, action, target, detail) => ctx.audit({ actor: call.caller.user.name, ip: call.ip, action, target, detail: detail ?? null });
}
