// The agent core's edges. Each is a small interface so the core can be exercised with the real
// components (policy files, Secret Service keychain, Docker config, a Bosun server) and so the
// Electron shell and the headless `bosun agent` wire the same core.
import type { PolicyView, Session, SessionInvalidReason } from '../core/agent/agentState.js';

/** The long-lived identity kept only in the OS keychain. */
export interface StoredIdentity {
  session: Session;
  /** `refresh`: a Bosun refresh token bound to user, org session and device. `pat`: Docker Hub mode. */
  kind: 'refresh' | 'pat';
  secret: string;
}

export interface PolicyPort {
  current(): PolicyView;
  /** Called with every new view (the watcher debounces); returns an unsubscribe function. */
  subscribe(listener: (view: PolicyView) => void): () => void;
  close(): Promise<void>;
}

export interface IdentityPort {
  load(): Promise<StoredIdentity | undefined>;
  save(identity: StoredIdentity): Promise<void>;
  erase(session: Session): Promise<void>;
}

export interface DockerConfigPort {
  /** Points credHelpers for these registries at bosun (idempotent; repairs tampering). */
  ensure(registries: string[]): Promise<void>;
  /** Removes only Bosun's own entries. */
  undo(): Promise<void>;
}

export type SessionCheck = { ok: true } | { ok: false; why: SessionInvalidReason; message: string } | { ok: false; why: 'unreachable'; message: string };

export interface SignInResult {
  kind: 'signed-in';
  identity: StoredIdentity;
}
export interface OrgPickNeeded {
  kind: 'pick-org';
  orgs: string[];
}

/** What the user must see to approve a browser sign-in (RFC 8628 §3.3). */
export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresInSec: number;
}

export interface AccountPort {
  /** Verifies the credentials, the membership and binds a session to one org. */
  signIn(username: string, secret: string, allowedOrgs: string[], org?: string): Promise<SignInResult | OrgPickNeeded>;
  /** Browser sign-in with the device authorization grant, where the server offers it. */
  deviceSignIn?(
    allowedOrgs: string[],
    org: string | undefined,
    onPrompt: (prompt: DeviceCodePrompt) => void,
    signal?: AbortSignal,
  ): Promise<SignInResult | OrgPickNeeded>;
  check(identity: StoredIdentity, allowedOrgs: string[]): Promise<SessionCheck>;
  /** Revokes the identity on the server when it can (best effort: sign-out must work offline). */
  revoke(identity: StoredIdentity): Promise<void>;
  /** The registries whose pulls this server decides (credHelpers entries). */
  registries(): Promise<string[]>;
}
