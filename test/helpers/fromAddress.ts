// HTTP requests from a chosen local source address, so a test can play several clients: on Linux
// every 127.x.y.z address is on the loopback interface, and the Bosun server (listening on
// 127.0.0.1, trustProxy off) sees each as its own client address (request.ip).
import { request } from 'node:http';

function plainHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => (out[key] = value));
  return out;
}

/** A `fetch` whose connections come from `localAddress` (plain http only; enough for the test server). */
export function fetchFrom(localAddress: string): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init.headers);
    const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? init.body : String(init.body);
    if (body !== undefined && !headers.has('content-length')) headers.set('content-length', String(Buffer.byteLength(body)));
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? 'GET', headers: plainHeaders(headers), localAddress },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const responseHeaders = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
            const nullBody = status === 204 || status === 304;
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
          });
        },
      );
      req.on('error', reject);
      init.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')));
      req.end(body);
    });
  }) as typeof fetch;
}

/** `POST /v2/auth/token` (the account API the agent signs in with) from `from`. */
export function signInFrom(url: string, from: string, identifier: string, secret: string): Promise<Response> {
  return fetchFrom(from)(`${url}/v2/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier, secret }),
  });
}

/** `GET /token` with Basic auth (the classic daemon's first request) from `from`. */
export function registryTokenFrom(url: string, from: string, service: string, username: string, password: string, query = ''): Promise<Response> {
  return fetchFrom(from)(`${url}/token?service=${encodeURIComponent(service)}${query}`, {
    headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
  });
}

/** A form-encoded POST (`/token`, `/device`, `/oauth/device/code`) from `from`. */
export function formFrom(url: string, from: string, path: string, fields: Record<string, string>): Promise<Response> {
  return fetchFrom(from)(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}
