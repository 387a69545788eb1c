// The `Authorization: Basic` header (RFC 7617), parsed once for every entry point that accepts it
// (the registry token service's GET /token, the account API's Authenticator):
//   credentials = "Basic" 1*SP token68, the scheme case-insensitive (RFC 9110 §11.1);
//   token68     = base64(user-id ":" password) (RFC 4648 §4, padded), UTF-8 (RFC 7617 §2.1);
//   the user-id cannot contain ':', so it ends at the first ':' and the password may hold more.
// Pure: decoded with the global atob and TextDecoder.

export type BasicAuthorization =
  /** No header, or another scheme (Bearer, …): not Basic's to answer. */
  | { kind: 'absent' }
  /** Says Basic but is not base64(user-id ":" password). */
  | { kind: 'malformed' }
  | { kind: 'credentials'; userId: string; password: string };

const BASIC = /^basic +([A-Za-z0-9+/]*={0,2}) *$/i;
const SCHEME = /^basic(?: |$)/i;
const utf8 = new TextDecoder('utf-8');

export function parseBasicAuthorization(header: string | undefined): BasicAuthorization {
  if (header === undefined || !SCHEME.test(header)) return { kind: 'absent' };
  const token = BASIC.exec(header)?.[1];
  if (!token || token.length % 4 !== 0) return { kind: 'malformed' };
  let binary: string;
  try {
    binary = atob(token);
  } catch {
    return { kind: 'malformed' };
  }
  const decoded = utf8.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'malformed' };
  return { kind: 'credentials', userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
