// The one file that declares every IPC channel, its payload and its result (like Rancher Desktop's
// typings/electron-ipc.d.ts). Main registers handlers and the preload invokes channels only through these types,
// so an unknown channel or a wrong payload is a compile error; `schemas/ipc.schema.json` checks the
// same payloads at run time in main, because a renderer is untrusted input.
//
// Nothing here carries a secret back to a renderer: sign-in sends a password or token *to* main,
// and no channel ever returns one.
import type { DoctorReport } from '../src/core/doctor/doctorReport.js';

/** What every window shows of the agent: derived from the core's snapshot in main. */
export interface StatusView {
  /** The public state name (`bosun status --json`): no-policy, signed-out, signing-in, signed-in, offline-grace, policy-error. */
  state: string;
  /** One line for the tray and the status page, e.g. "Signed in as alice · mycompany". */
  headline: string;
  /** Why the user is in this state, when there is something to say. */
  detail?: string;
  user?: string;
  org?: string;
  server?: string;
  allowedOrgs: string[];
  enforced: boolean;
  /** Offline grace deadline (ISO 8601) while offline. */
  graceEndsAt?: string;
  /** The policy files can be written by non-admins: a tampering risk shown everywhere. */
  policyInsecure: boolean;
}

export type SignInResult = { kind: 'signed-in'; user: string; org: string } | { kind: 'pick-org'; orgs: string[] } | { kind: 'failed'; message: string };

/** What a browser sign-in shows while the user approves it (RFC 8628 §3.3). */
export interface DevicePromptView {
  userCode: string;
  verificationUri: string;
  expiresInSec: number;
}

export interface ImageCategoryView {
  id: 'organization' | 'official' | 'verified' | 'community';
  label: string;
  allowed: boolean;
  /** What this setting means for a `docker pull`, in words. */
  explanation: string;
}

export interface PolicySourceView {
  /** Where the policy was looked for, e.g. a file path or a registry key. */
  location: string;
  found: boolean;
  /** Admin-only (root/Administrators, not writable by others), when known. */
  protected?: boolean;
  verdict: string;
}

export interface OrgPermissionsView {
  org?: string;
  /** Image Access Management of the session org, absent when signed out or not readable. */
  imageAccess?: { enabled: boolean; categories: ImageCategoryView[] };
  /** Why the IAM part is missing (signed out, server unreachable, …). */
  imageAccessUnavailable?: string;
  policy: { state: 'no-policy' | 'enforced' | 'policy-error'; allowedOrgs: string[]; errors: string[]; insecure: boolean; verdict: string };
  sources: PolicySourceView[];
}

export interface DiagnosticsView {
  report: DoctorReport;
  text: string;
}

export interface AboutView {
  version: string;
  enforced: boolean;
  /** The sentence about quitting (under enforcement, closing the app is not a way out: the server still decides every pull). */
  quitNote: string;
}

/** Renderer → main request channels: [payload, result]. */
export interface IpcChannels {
  'status:get': [void, StatusView];
  'signin:password': [{ username: string; secret: string; org?: string }, SignInResult];
  'signin:device-start': [{ org?: string }, SignInResult];
  'signin:device-cancel': [void, void];
  'signin:open-verification': [{ url: string }, void];
  'session:sign-out': [void, StatusView];
  'session:switch-org': [void, void];
  'permissions:get': [void, OrgPermissionsView];
  'diagnostics:get': [void, DiagnosticsView];
  'diagnostics:copy': [void, { copied: true }];
  'logs:open': [void, void];
  'about:get': [void, AboutView];
  'window:close': [void, void];
}
export type IpcChannel = keyof IpcChannels;
export type IpcPayload<C extends IpcChannel> = IpcChannels[C][0];
export type IpcResult<C extends IpcChannel> = IpcChannels[C][1];

/** Main → renderer push events. */
export interface IpcEvents {
  'status:changed': StatusView;
  'signin:device-prompt': DevicePromptView;
}
export type IpcEvent = keyof IpcEvents;

/** How a result or an error crosses IPC (Podman Desktop's ipcHandle): the preload rethrows `error` as an Error. */
export type IpcEnvelope<T> = { result: T } | { error: { name: string; message: string } };

// Records keyed by the maps: adding a channel without listing it here is a type error.
const CHANNELS: Record<IpcChannel, true> = {
  'status:get': true,
  'signin:password': true,
  'signin:device-start': true,
  'signin:device-cancel': true,
  'signin:open-verification': true,
  'session:sign-out': true,
  'session:switch-org': true,
  'permissions:get': true,
  'diagnostics:get': true,
  'diagnostics:copy': true,
  'logs:open': true,
  'about:get': true,
  'window:close': true,
};
const EVENTS: Record<IpcEvent, true> = { 'status:changed': true, 'signin:device-prompt': true };
export const IPC_CHANNELS = Object.keys(CHANNELS) as IpcChannel[];
export const IPC_EVENTS = Object.keys(EVENTS) as IpcEvent[];
