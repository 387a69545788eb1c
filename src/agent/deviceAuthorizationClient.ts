// Client side of the device authorization grant (RFC 8628 §3.1, §3.4, §3.5): ask for a code, show it,
// poll the token endpoint at the server's interval (slower on slow_down) until approved, denied or expired.
import { HubAuthError, HubProtocolError, HubUnreachableError } from './hubClient.js';
import type { DeviceCodePrompt } from './ports.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export async function runDeviceAuthorization(
  baseUrl: string,
  clientId: string,
  onPrompt: (prompt: DeviceCodePrompt) => void,
  opts: { signal?: AbortSignal | undefined; timeoutMs: number },
): Promise<string> {
  const post = async (path: string, fields: Record<string, string>) => {
    try {
      const res = await fetch(baseUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(fields),
        signal: opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]) : AbortSignal.timeout(opts.timeoutMs),
      });
      if (res.status === 404) throw new HubProtocolError(`${baseUrl} does not offer browser sign-in; sign in with a username and password or token`);
      if (res.status >= 500) throw new HubUnreachableError(`${baseUrl} answered ${res.status}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    } catch (err) {
      if (err instanceof HubProtocolError || err instanceof HubUnreachableError) throw err;
      if (opts.signal?.aborted) throw new Error('browser sign-in was cancelled');
      throw new HubUnreachableError(`cannot reach ${baseUrl}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const start = await post('/oauth/device/code', { client_id: clientId });
  const b = start.body;
  if (start.status !== 200 || typeof b.device_code !== 'string' || typeof b.user_code !== 'string' || typeof b.verification_uri !== 'string') {
    throw new HubProtocolError('the server did not start browser sign-in');
  }
  const deviceCode = b.device_code;
  let interval = typeof b.interval === 'number' && b.interval > 0 ? b.interval : 5;
  const expiresIn = typeof b.expires_in === 'number' ? b.expires_in : 600;
  onPrompt({
    userCode: b.user_code,
    verificationUri: b.verification_uri,
    ...(typeof b.verification_uri_complete === 'string' ? { verificationUriComplete: b.verification_uri_complete } : {}),
    expiresInSec: expiresIn,
  });
  const deadline = Date.now() + expiresIn * 1000;
  while (Date.now() < deadline) {
    await sleep(interval * 1000, opts.signal);
    const r = await post('/oauth/token', { grant_type: GRANT, device_code: deviceCode, client_id: clientId });
    if (r.status === 200 && typeof r.body.access_token === 'string') return r.body.access_token;
    switch (r.body.error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        interval += 5; // §3.5
        continue;
      case 'access_denied':
        throw new HubAuthError('the sign-in was denied in the browser');
      case 'expired_token':
        throw new HubAuthError('the sign-in code expired before it was approved; start again');
      default:
        throw new HubProtocolError(`browser sign-in failed: ${String(r.body.error ?? r.status)}`);
    }
  }
  throw new HubAuthError('the sign-in code expired before it was approved; start again');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('browser sign-in was cancelled'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new Error('browser sign-in was cancelled'));
      },
      { once: true },
    );
  });
}
