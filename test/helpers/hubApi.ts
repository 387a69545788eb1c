// A small Docker-Hub-compatible account API (README, "API") on 127.0.0.1, for agent tests
// that run before the Bosun server is wired in: POST /v2/auth/token, GET /v2/user/, GET /v2/user/orgs/.
// Real HTTP, served by fastify; the agent's real HubClient talks to it.
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

export interface HubAccountFixture {
  password: string;
  orgs: string[];
}

export interface HubApi {
  url: string;
  users: Map<string, HubAccountFixture>;
  close(): Promise<void>;
}

export async function startHubApi(users: Record<string, HubAccountFixture>): Promise<HubApi> {
  const accounts = new Map(Object.entries(users));
  const tokens = new Map<string, string>();
  const app: FastifyInstance = Fastify({ logger: false });
  const who = (auth: string | undefined) => tokens.get((auth ?? '').replace(/^Bearer /, ''));
  app.post('/v2/auth/token', async (req, reply) => {
    const { identifier, secret } = (req.body ?? {}) as { identifier?: string; secret?: string };
    const account = identifier ? accounts.get(identifier) : undefined;
    if (!account || account.password !== secret) return reply.code(401).send({ detail: 'Incorrect authentication credentials' });
    const token = randomBytes(16).toString('hex');
    tokens.set(token, identifier!);
    return { access_token: token };
  });
  app.get('/v2/user/', async (req, reply) => {
    const user = who(req.headers.authorization);
    return user ? { username: user } : reply.code(401).send({ detail: 'unauthorized' });
  });
  app.get('/v2/user/orgs/', async (req, reply) => {
    const user = who(req.headers.authorization);
    if (!user) return reply.code(401).send({ detail: 'unauthorized' });
    const orgs = accounts.get(user)?.orgs ?? [];
    return { count: orgs.length, next: null, previous: null, results: orgs.map((orgname) => ({ orgname })) };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, users: accounts, close: () => app.close() };
}
