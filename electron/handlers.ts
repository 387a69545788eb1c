// The IPC handlers: each channel of ipcContract.ts mapped to the agent core and the shell's few
// platform actions. Everything Electron-specific arrives through `ShellActions`, so the handlers are
// unit-tested with real code and only the electron module faked.
import type { AgentCore } from '../src/agent/core.js';
import type { DeviceCodePrompt } from '../src/agent/ports.js';
import { sessionOf } from '../src/core/agent/agentState.js';
import { agentStatus } from '../src/core/agent/agentStatus.js';
import { runningAgentCheck } from '../src/core/doctor/agentCheck.js';
import { buildDoctorReport, renderDoctorReport, type DoctorCheck } from '../src/core/doctor/doctorReport.js';
import type { AboutView, DiagnosticsView, IpcEvent, IpcEvents, PolicySourceView, SignInResult } from './ipcContract.js';
import type { TypedIpcMain } from './ipcMain.js';
import { orgPermissionsView, type ImageAccessSettingsView } from './orgPermissionsView.js';
import { statusView } from './statusView.js';

export type PageName = 'signin' | 'permissions' | 'diagnostics' | 'about';

/** Platform actions main performs for a handler (Electron's shell, clipboard, windows). */
export interface ShellActions {
  /** Opens a URL in the user's browser; refuses anything SecurityRestrictions does not allow. */
  openExternal(url: string): Promise<void>;
  copyText(text: string): void;
  openLogs(): Promise<void>;
  showWindow(page: PageName): void;
  /** Closes the window whose renderer sent the call. */
  closeSender(senderId: number): void;
  broadcast<E extends IpcEvent>(event: E, payload: IpcEvents[E]): void;
}

/** The session org's Image Access Management, read from the server with the stored identity (main only). */
export interface OrgSettingsPort {
  imageAccess(org: string): Promise<ImageAccessSettingsView>;
}
/** Where the admin policy was looked for and whether each place is admin-only. */
export interface PolicySourcesPort {
  sources(): Promise<PolicySourceView[]>;
}

export interface HandlerDeps {
  core: AgentCore;
  orgSettings: OrgSettingsPort;
  policySources: PolicySourcesPort;
  /** The doctor's other checks (policy, keychain, helper on PATH, Docker CLI, …); the agent's line comes from the core. */
  doctorChecks: () => Promise<DoctorCheck[]>;
  shell: ShellActions;
  version: string;
  now?: () => Date;
}

export const QUIT_NOTE =
  'Quitting Bosun only stops the tray icon. While your organization enforces sign-in, the server still decides every pull, ' +
  'and the credential helper hands out nothing unless you are signed in.';

function outcomeView(o: Awaited<ReturnType<AgentCore['login']>>): SignInResult {
  if (o.kind === 'signed-in') return { kind: 'signed-in', user: o.session.user, org: o.session.org };
  return o;
}

export class ShellHandlers {
  private device: AbortController | undefined;
  private devicePrompt: DeviceCodePrompt | undefined;
  private readonly now: () => Date;

  constructor(private readonly deps: HandlerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  register(ipc: TypedIpcMain): void {
    const { core, shell } = this.deps;
    ipc.handle('status:get', () => statusView(core.state));
    ipc.handle('signin:password', async ({ username, secret, org }) => outcomeView(await core.login(username.trim(), secret, org)));
    ipc.handle('signin:device-start', ({ org }) => this.deviceSignIn(org));
    ipc.handle('signin:device-cancel', () => {
      this.device?.abort();
    });
    ipc.handle('signin:open-verification', async ({ url }) => {
      // Only the page the server named for the running sign-in, and only if the allow-list agrees.
      const p = this.devicePrompt;
      if (!p || (url !== p.verificationUri && url !== p.verificationUriComplete)) throw new Error('There is no browser sign-in waiting for that page.');
      await shell.openExternal(url);
    });
    ipc.handle('session:sign-out', async () => {
      await core.logout();
      return statusView(core.state);
    });
    ipc.handle('session:switch-org', () => shell.showWindow('signin'));
    ipc.handle('permissions:get', () => this.permissions());
    ipc.handle('diagnostics:get', () => this.diagnostics());
    ipc.handle('diagnostics:copy', async () => {
      shell.copyText((await this.diagnostics()).text);
      return { copied: true as const };
    });
    ipc.handle('logs:open', () => shell.openLogs());
    ipc.handle('about:get', () => this.about());
    ipc.handle('window:close', (_p, event) => shell.closeSender(event.sender.id));
  }

  private async deviceSignIn(org: string | undefined): Promise<SignInResult> {
    this.device?.abort();
    const controller = (this.device = new AbortController());
    try {
      const outcome = await this.deps.core.loginWithBrowser(
        (prompt) => {
          this.devicePrompt = prompt;
          this.deps.shell.broadcast('signin:device-prompt', {
            userCode: prompt.userCode,
            verificationUri: prompt.verificationUri,
            expiresInSec: prompt.expiresInSec,
          });
          void this.deps.shell.openExternal(prompt.verificationUriComplete ?? prompt.verificationUri).catch(() => undefined);
        },
        org,
        controller.signal,
      );
      return outcomeView(outcome);
    } finally {
      if (this.device === controller) this.device = undefined;
      this.devicePrompt = undefined;
    }
  }

  async permissions() {
    const { core } = this.deps;
    const snapshot = core.state;
    const session = sessionOf(snapshot.state);
    const sources = await this.deps.policySources
      .sources()
      .catch((err: unknown) => [
        { location: 'policy sources', found: false, verdict: `could not be listed: ${err instanceof Error ? err.message : String(err)}` },
      ]);
    if (!session) {
      return orgPermissionsView({
        policy: snapshot.policy,
        imageAccessUnavailable: 'Sign in to see your organization’s Image Access Management settings.',
        sources,
      });
    }
    try {
      const imageAccess = await this.deps.orgSettings.imageAccess(session.org);
      return orgPermissionsView({ policy: snapshot.policy, org: session.org, imageAccess, sources });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return orgPermissionsView({
        policy: snapshot.policy,
        org: session.org,
        imageAccessUnavailable: `The settings of ${session.org} could not be read: ${why}`,
        sources,
      });
    }
  }

  async diagnostics(): Promise<DiagnosticsView> {
    const { core } = this.deps;
    // The same classification as `bosun doctor`'s, fed by this process's own core.
    const agent = runningAgentCheck(agentStatus(core.state, core.managedRegistries()));
    const registries: DoctorCheck = {
      id: 'registries',
      title: 'Managed registries',
      status: 'info',
      detail: core.managedRegistries().length ? core.managedRegistries().join(', ') : 'none known yet (the server has not been reached).',
    };
    const report = buildDoctorReport([agent, registries, ...(await this.deps.doctorChecks())], this.now());
    return { report, text: renderDoctorReport(report) };
  }

  about(): AboutView {
    return { version: this.deps.version, enforced: this.deps.core.state.policy.state === 'enforced', quitNote: QUIT_NOTE };
  }

  dispose(): void {
    this.device?.abort();
  }
}
