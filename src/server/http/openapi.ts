// The OpenAPI 3.1 document, generated from the route table and the JSON Schemas in schemas/
// (OpenAPI 3.1 uses JSON Schema 2020-12, so the schemas are embedded as they are; only `$ref`s are
// rewritten to point into components). Served at GET /api/v1/openapi.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, packageVersion } from '../../common/packageRoot.js';
import { ADMIN_SCHEMA_FILE, type ApiRoute } from './routeTable.js';

/** Routes outside the table (Hub-compatible, agent, apply), described for the document. */
export interface DocumentedRoute {
  method: string;
  path: string;
  summary: string;
  access: string;
  tag: string;
  /** `file#def` of the body schema. */
  body?: string;
  /** `file#def` of the response schema. */
  response?: string;
  status?: number;
}

const SCHEMA_FILES: Record<string, string> = {
  'api.schema.json': 'api',
  [ADMIN_SCHEMA_FILE]: 'admin',
  'apply.schema.json': 'apply',
  // The Hub response shapes the agent validates (src/agent/hubClient.ts).
  'hub-responses.schema.json': 'hub',
};

function componentName(file: string, def?: string): string {
  const prefix = SCHEMA_FILES[file] ?? file;
  return def ? `${prefix}.${def}` : prefix;
}

function rewriteRefs(node: unknown, file: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, file));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === '$id' || k === '$defs') continue;
    if (k === '$ref' && typeof v === 'string') {
      const [target, pointer] = v.split('#') as [string, string | undefined];
      const targetFile = target || file;
      const def = pointer?.startsWith('/$defs/') ? pointer.slice('/$defs/'.length) : undefined;
      // A pointer into a schema's properties (e.g. apply.schema.json#/properties/settings) is kept as a pointer into its component.
      const rest = pointer && !def && pointer !== '/' && pointer !== '' ? pointer : '';
      out.$ref = `#/components/schemas/${componentName(targetFile, def)}${rest}`;
      continue;
    }
    out[k] = rewriteRefs(v, file);
  }
  return out;
}

function components(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const file of Object.keys(SCHEMA_FILES)) {
    const doc = JSON.parse(readFileSync(join(packageRoot(), 'schemas', file), 'utf8')) as { $defs?: Record<string, unknown>; properties?: unknown };
    if (doc.properties) schemas[componentName(file)] = rewriteRefs(doc, file);
    for (const [def, schema] of Object.entries(doc.$defs ?? {})) schemas[componentName(file, def)] = rewriteRefs(schema, file);
  }
  return schemas;
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

export function openApiDocument(table: readonly ApiRoute[], others: readonly DocumentedRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const all: DocumentedRoute[] = [
    ...others,
    ...table.map((r) => ({
      ...r,
      ...(r.body ? { body: `${ADMIN_SCHEMA_FILE}#${r.body}` } : {}),
      ...(r.response ? { response: `${ADMIN_SCHEMA_FILE}#${r.response}` } : {}),
    })),
  ];
  const ref = (fileDef: string) => {
    const [file, def] = fileDef.split('#') as [string, string];
    return { $ref: `#/components/schemas/${componentName(file, def)}` };
  };
  for (const r of all) {
    const path = toOpenApiPath(r.path);
    const params = [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const op: Record<string, unknown> = {
      summary: r.summary,
      description: `Who may call it: ${r.access}.`,
      tags: [r.tag],
      ...(params.length ? { parameters: params } : {}),
      responses: {
        default: { description: 'Errors: `{message, detail, errors?: [{path, message}]}`; 400 names every bad field.' },
        [String(r.status ?? 200)]: {
          description: r.status === 204 ? 'Done' : 'Success',
          ...(r.response ? { content: { 'application/json': { schema: ref(r.response) } } } : {}),
        },
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: ref(r.body) } } };
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Bosun server API', version: packageVersion(), description: 'Docker-Hub-compatible account API, agent endpoints, and Bosun admin API.' },
    components: {
      schemas: components(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Access token from POST /v2/auth/token (or a refresh token for /api/v1/agent/sessions/current)',
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}

export const DOCUMENTED_ROUTES: readonly DocumentedRoute[] = [
  {
    method: 'POST',
    path: '/v2/auth/token',
    summary: 'Sign in with a password or PAT → {access_token}',
    access: 'anyone (rate limited)',
    tag: 'hub',
    body: 'api.schema.json#hubAuthToken',
    response: 'hub-responses.schema.json#authToken',
  },
  {
    method: 'POST',
    path: '/v2/users/login',
    summary: 'Sign in (Hub compatibility) → {token}',
    access: 'anyone (rate limited)',
    tag: 'hub',
    body: 'api.schema.json#hubUsersLogin',
  },
  { method: 'GET', path: '/v2/user/', summary: 'The signed-in account', access: 'signed-in users', tag: 'hub', response: 'hub-responses.schema.json#user' },
  {
    method: 'GET',
    path: '/v2/user/orgs/',
    summary: "The account's orgs (Hub pagination: page, page_size, next)",
    access: 'signed-in users',
    tag: 'hub',
    response: 'hub-responses.schema.json#orgPage',
  },
  { method: 'GET', path: '/v2/orgs/:org/members', summary: 'Org members (paginated)', access: 'members, server admins', tag: 'hub' },
  { method: 'GET', path: '/v2/orgs/:org/groups', summary: 'Org teams (paginated)', access: 'members, server admins', tag: 'hub' },
  { method: 'GET', path: '/v2/orgs/:org/groups/:group/members', summary: 'Team members (paginated)', access: 'members, server admins', tag: 'hub' },
  {
    method: 'GET',
    path: '/v2/orgs/:org/settings',
    summary: 'restricted_images (Image Access Management)',
    access: 'members, server admins',
    tag: 'hub',
    response: 'hub-responses.schema.json#orgSettings',
  },
  {
    method: 'PUT',
    path: '/v2/orgs/:org/settings',
    summary: 'Change restricted_images',
    access: 'owners, server admins',
    tag: 'hub',
    body: 'api.schema.json#hubOrgSettings',
    response: 'hub-responses.schema.json#orgSettings',
  },
  {
    method: 'GET',
    path: '/.well-known/bosun',
    summary: 'Discovery: registries this server authorizes, and whether anonymous pulls follow Image Access Management',
    access: 'anyone',
    tag: 'agent',
  },
  {
    method: 'POST',
    path: '/api/v1/agent/sessions',
    summary: 'Bind a refresh token to (user, org, device)',
    access: 'members of the org',
    tag: 'agent',
    body: 'api.schema.json#agentSessionCreate',
  },
  { method: 'GET', path: '/api/v1/agent/sessions/current', summary: 'Is this session still good? (Bearer refresh token)', access: 'the session', tag: 'agent' },
  { method: 'DELETE', path: '/api/v1/agent/sessions/current', summary: 'Sign out: revoke this session', access: 'the session', tag: 'agent' },
  {
    method: 'POST',
    path: '/api/v1/apply',
    summary: 'Make the directory match a file (schemas/apply.schema.json); answers {changes, applied, warnings}',
    access: 'server admins',
    tag: 'apply',
    body: 'api.schema.json#applyEnvelope',
  },
  { method: 'GET', path: '/healthz', summary: 'Liveness', access: 'anyone', tag: 'health' },
  { method: 'GET', path: '/readyz', summary: 'Readiness (the store answers)', access: 'anyone', tag: 'health' },
];
