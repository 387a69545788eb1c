// The typed wrapper around `ipcMain.handle` (like Rancher Desktop's main/ipcMain.ts, Podman
// Desktop's ipcHandle). Every call is validated against schemas/ipc.schema.json before a handler
// sees it, logged with its arguments shortened (secrets masked), and answered as {result} | {error}
// so the preload can rethrow a real Error. The `electron` ipcMain is injected, so tests pass a fake.
import { pathToFileURL } from 'node:url';
import { describeSchemaErrors, schemaRegistry } from '../src/common/schemas.js';
import type { IpcChannel, IpcEnvelope, IpcPayload, IpcResult } from './ipcContract.js';

/** The part of Electron's `ipcMain` this wrapper uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}
/** The part of Electron's IpcMainInvokeEvent a handler may use. */
export interface IpcSenderEvent {
  sender: { id: number };
  senderFrame?: { url: string } | null;
}

export interface LogLike {
  info(message: string): void;
  warn(message: string): void;
}

export type Handler<C extends IpcChannel> = (payload: IpcPayload<C>, event: IpcSenderEvent) => Promise<IpcResult<C>> | IpcResult<C>;

/** A payload that does not match the contract: the renderer is buggy or compromised. */
export class IpcPayloadError extends Error {
  override name = 'IpcPayloadError';
}

const SECRET_KEYS = new Set(['secret', 'password', 'token']);
const MAX_ARG_CHARS = 120;

/** The arguments as one short log-safe string: secrets masked, long values cut. */
export function shortenArgs(payload: unknown): string {
  if (payload === undefined || payload === null) return '';
  const text = JSON.stringify(payload, (key, value: unknown) => (SECRET_KEYS.has(key) ? '***' : value)) ?? '';
  return text.length > MAX_ARG_CHARS ? `${text.slice(0, MAX_ARG_CHARS)}…` : text;
}

/**
 * Only the app's own pages may call: the frame's URL must lie inside the ui directory the windows
 * load from (electron/windows.ts `loadFile`). Any other `file://` page (a file the user downloaded,
 * a page navigated to) is not ours. A call without a frame is refused too: Electron reports no
 * `senderFrame` once the frame navigated away or was destroyed, so nothing says who is calling.
 */
export function appPageSender(uiDir: string): (event: IpcSenderEvent) => boolean {
  // The URL loadFile produces for the directory, with a trailing slash so `ui-other/` does not match.
  const prefix = pathToFileURL(uiDir).href.replace(/\/*$/, '/');
  return (event) => {
    const raw = event.senderFrame?.url;
    if (typeof raw !== 'string' || raw === '') return false;
    let url: URL;
    try {
      url = new URL(raw); // Normalises `..` segments and percent-encoding before the prefix check.
    } catch {
      return false;
    }
    return url.protocol === 'file:' && url.host === '' && url.href.startsWith(prefix);
  };
}

export class TypedIpcMain {
  private readonly channels = new Set<IpcChannel>();

  constructor(
    private readonly ipc: IpcMainLike,
    private readonly log: LogLike,
    /** Who may call: `appPageSender(uiDir)` in the app. */
    private readonly trusted: (event: IpcSenderEvent) => boolean,
  ) {}

  handle<C extends IpcChannel>(channel: C, handler: Handler<C>): void {
    const validate = schemaRegistry().getSchema(`ipc.schema.json#/$defs/${channel}`);
    if (!validate) throw new Error(`schemas/ipc.schema.json has no $defs/${channel}`);
    this.channels.add(channel);
    this.ipc.handle(channel, async (event, ...args): Promise<IpcEnvelope<IpcResult<C>>> => {
      const payload = args[0] ?? null; // `invoke(channel)` arrives as undefined; the schema says null.
      this.log.info(`ipc ${channel}(${shortenArgs(payload)})`);
      try {
        if (!this.trusted(event))
          throw new IpcPayloadError(
            `${channel}: refused a call from ${event.senderFrame?.url ? event.senderFrame.url : 'a frame Electron no longer reports (navigated away or destroyed)'}, which is not one of the app’s pages`,
          );
        if (args.length > 1) throw new IpcPayloadError(`${channel}: invalid payload: unexpected extra arguments`);
        if (!validate(payload)) {
          const issues = describeSchemaErrors(validate.errors).map((i) => `${i.path || '/'} ${i.message}`);
          throw new IpcPayloadError(`${channel}: invalid payload: ${issues.join('; ')}`);
        }
        const result = await handler((payload ?? undefined) as IpcPayload<C>, event);
        return { result };
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        this.log.warn(`ipc ${channel} failed: ${error.message}`);
        return { error: { name: error.name, message: error.message } };
      }
    });
  }

  dispose(): void {
    for (const c of this.channels) this.ipc.removeHandler(c);
    this.channels.clear();
  }
}
