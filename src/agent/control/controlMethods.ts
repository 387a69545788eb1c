// The agent's control methods, served on the same per-user socket as the credential helper:
// `bosun login`, `bosun logout` and `bosun status` are clients of these. Parameters are validated
// against schemas/agent-control.schema.json; the secret of a login never leaves this process except
// to the server, and is never logged.
import type { ValidateFunction } from 'ajv';
import { describeSchemaErrors, schemaRegistry } from '../../common/schemas.js';
import { agentStatus, type AgentStatus } from '../../core/agent/agentStatus.js';
import type { AgentCore, LoginOutcome } from '../core.js';
import type { DeviceCodePrompt } from '../ports.js';

export type ControlHandler = (params: unknown) => Promise<unknown>;

export class ControlParamsError extends Error {
  override name = 'ControlParamsError';
  readonly code = 'bad-params';
}

function validator(def: string): ValidateFunction {
  const fn = schemaRegistry().getSchema(`agent-control.schema.json#/$defs/${def}`);
  if (!fn) throw new Error(`agent-control.schema.json has no $defs/${def}`);
  return fn;
}

function checked<T>(def: string, params: unknown): T {
  const validate = validator(def);
  const value = params ?? {};
  if (!validate(value)) {
    const issues = describeSchemaErrors(validate.errors).map((i) => `${i.path || '(params)'} ${i.message}`);
    throw new ControlParamsError(`invalid parameters: ${issues.join('; ')}`);
  }
  return value as T;
}

/** A browser sign-in in progress: the prompt arrives first, the outcome when the user approves. */
interface PendingDeviceLogin {
  prompt: Promise<DeviceCodePrompt | LoginOutcome>;
  outcome: Promise<LoginOutcome>;
  abort: AbortController;
}

export function controlMethods(core: AgentCore): { methods: Record<string, ControlHandler>; dispose(): void } {
  let device: PendingDeviceLogin | undefined;
  const status = (): AgentStatus => agentStatus(core.state, core.managedRegistries());

  const methods: Record<string, ControlHandler> = {
    'agent.status': async (params) => {
      checked('empty', params);
      return status();
    },
    'agent.login': async (params) => {
      const p = checked<{ username: string; secret: string; org?: string }>('login', params);
      const outcome = await core.login(p.username, p.secret, p.org);
      return { outcome, status: status() };
    },
    'agent.deviceLogin.start': async (params) => {
      const p = checked<{ org?: string }>('deviceLogin', params);
      device?.abort.abort();
      const abort = new AbortController();
      let showPrompt!: (p: DeviceCodePrompt) => void;
      const promptShown = new Promise<DeviceCodePrompt>((resolve) => (showPrompt = resolve));
      const outcome = core.loginWithBrowser(showPrompt, p.org, abort.signal);
      // Whichever comes first: the code to show, or an outcome (a server without the device flow fails at once).
      const pending: PendingDeviceLogin = { prompt: Promise.race([promptShown, outcome]), outcome, abort };
      device = pending;
      const first = await pending.prompt;
      return 'userCode' in first ? { prompt: first } : { outcome: first, status: status() };
    },
    'agent.deviceLogin.wait': async (params) => {
      checked('empty', params);
      if (!device)
        return { outcome: { kind: 'failed', message: 'No browser sign-in is in progress; start one with `bosun login --device`.' }, status: status() };
      const outcome = await device.outcome;
      device = undefined;
      return { outcome, status: status() };
    },
    'agent.logout': async (params) => {
      checked('empty', params);
      await core.logout();
      return status();
    },
    'agent.check': async (params) => {
      checked('empty', params);
      await core.checkNow();
      return status();
    },
  };
  return { methods, dispose: () => device?.abort.abort() };
}
