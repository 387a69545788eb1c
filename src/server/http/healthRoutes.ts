// Liveness (the process answers) and readiness (the store answers a query).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

export function registerHealthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      ctx.store.db.prepare('SELECT 1').get();
      return { status: 'ready' };
    } catch (err) {
      return reply.code(503).send({ status: 'not ready', message: err instanceof Error ? err.message : String(err) });
    }
  });
}
