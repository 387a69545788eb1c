// The admin API (/api/v1) and its OpenAPI document.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { orgRoutes } from './adminOrgs.js';
import { repositoryRoutes } from './adminRepositories.js';
import { serverRoutes } from './adminServer.js';
import { signInLimitRoutes } from './adminSignInLimits.js';
import { userRoutes } from './adminUsers.js';
import { DOCUMENTED_ROUTES, openApiDocument } from './openapi.js';
import { registerRouteTable } from './routeTable.js';

export function registerAdminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const table = [...userRoutes(ctx), ...orgRoutes(ctx), ...repositoryRoutes(ctx), ...serverRoutes(ctx), ...signInLimitRoutes(ctx)];
  registerRouteTable(app, ctx, table);
  const document = openApiDocument(table, DOCUMENTED_ROUTES);
  app.get('/api/v1/openapi.json', async () => document);
}
