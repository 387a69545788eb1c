// The agent socket protocol: one JSON object per line, in both directions.
//   request  {"id": 1, "method": "helper.get", "params": {...}}
//   response {"id": 1, "result": ...}  or  {"id": 1, "error": {"code": "...", "message": "...", "data"?: ...}}
// Types only, so the credential helper's bundle stays free of anything heavy.

export type RequestId = string | number;

export interface SocketRequest {
  id: RequestId;
  method: string;
  params?: unknown;
}

export type SocketErrorCode =
  'parse-error' | 'invalid-request' | 'too-large' | 'unknown-method' | 'invalid-params' | 'not-found' | 'no-credentials' | 'denied' | 'internal';

export interface SocketErrorBody {
  code: SocketErrorCode | string;
  message: string;
  data?: unknown;
}

export type SocketResponse = { id: RequestId | null; result: unknown } | { id: RequestId | null; error: SocketErrorBody };

/** Longest request line the server reads; a credential request is far below it. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** A handler throws this to answer with a specific error code (anything else is `internal`). */
export class SocketMethodError extends Error {
  override name = 'SocketMethodError';
  constructor(
    readonly code: SocketErrorCode | string,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

// The helper's methods (owned by src/agent/helperHandler.ts).
export interface HelperServerParams {
  serverURL: string;
}
export interface HelperStoreParams {
  serverURL: string;
  username: string;
  secret: string;
}
export interface HelperCredentials {
  ServerURL: string;
  Username: string;
  Secret: string;
}
/** `data` of a `no-credentials` error. */
export interface NoCredentialsData {
  protectedRegistry: boolean;
}
