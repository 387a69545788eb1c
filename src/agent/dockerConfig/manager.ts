// Keeps Bosun's credHelpers entries in Docker's config.json (DockerConfigPort), watches the file and
// repairs tampering within 500 ms, and reports a malformed file instead of overwriting it.
import { watch, type FSWatcher } from 'chokidar';
import { basename, dirname } from 'node:path';
import type { AuditEvent, LogFields } from '../../common/log.js';
import { applyBosunEntries, inspectBosunEntries, removeBosunEntries, type BosunEntriesReport } from '../../core/dockerConfig/dockerConfigMerge.js';
import { TypedBus } from '../eventBus.js';
import type { DockerConfigPort } from '../ports.js';
import { dockerConfigPath, MalformedDockerConfigError, notBosunsToChange, readDockerConfig, updateDockerConfig } from './configFile.js';

export interface DockerConfigEvents {
  /**
   * Someone removed or changed Bosun's entries, or put static credentials for a protected registry in
   * `auths` (under any spelling); the manager is restoring them. The tray can show it.
   */
  tampering: { path: string; missing: string[]; changed: Array<{ registry: string; helper: unknown }>; staticCredentials: string[] };
  /**
   * Static credentials for a protected registry that Bosun removed (a backup of the file is kept), or
   * left because the file is not Bosun's to change (`kept`, with `why`): docker would send them.
   */
  'static-credentials': { path: string; keys: string[]; removed: boolean; why?: string };
  /** Bosun's entries are back, `ms` after the change was seen. */
  repaired: { path: string; registries: string[]; ms: number };
  /** config.json cannot be parsed: left untouched until fixed. */
  malformed: { path: string; message: string };
  /** A write failed for another reason (permissions, a writer that never stops). */
  problem: { path: string; message: string };
}

export type DockerConfigInspection =
  ({ path: string; state: 'ok' | 'needs-repair' | 'not-managed' } & BosunEntriesReport) | { path: string; state: 'malformed'; message: string };

export interface DockerConfigManagerOptions {
  /** The config.json path; default DOCKER_CONFIG/config.json or ~/.docker/config.json. */
  path?: string;
  logger?: { audit(event: AuditEvent, fields?: LogFields): void; info(m: string, f?: LogFields): void; warn(m: string, f?: LogFields): void };
  /** Coalesces bursts of file events (an editor's save is several). */
  debounceMs?: number;
}

export class DockerConfigManager implements DockerConfigPort {
  readonly bus = new TypedBus<DockerConfigEvents>();
  readonly path: string;
  /** The registries Bosun's entries must point at; undefined while Bosun manages nothing. */
  private wanted: string[] | undefined;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private lastMalformed: string | undefined;
  private lastKept = '';
  private readonly debounceMs: number;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DockerConfigManagerOptions = {}) {
    this.path = options.path ?? dockerConfigPath();
    this.debounceMs = options.debounceMs ?? 20;
  }

  async ensure(registries: string[]): Promise<void> {
    this.wanted = [...new Set(registries)].sort();
    const wanted = this.wanted;
    await this.serially(() => this.writeEntries('ensure', wanted));
  }

  async undo(): Promise<void> {
    this.wanted = undefined;
    await this.serially(() =>
      this.write('undo', (config) => {
        const r = removeBosunEntries(config);
        if (r.changed) this.options.logger?.info('removed Bosun entries from Docker config', { path: this.path, registries: r.removed });
        return r.changed ? r.config : undefined;
      }),
    );
  }

  /**
   * Writes Bosun's entries for `wanted`, removing static credentials for them where the file is
   * Bosun's to change; what was removed or left is reported once the write has landed.
   */
  private async writeEntries(what: string, wanted: string[]): Promise<boolean> {
    const why = notBosunsToChange(this.path);
    let last: { removed: string[]; kept: string[] } = { removed: [], kept: [] };
    const ok = await this.write(what, (config) => {
      const r = applyBosunEntries(config, wanted, { removeStaticCredentials: why === undefined });
      last = { removed: r.removedCredentials, kept: r.keptCredentials }; // the attempt that landed is the last one
      return r.changed ? r.config : undefined;
    });
    if (!ok) return false;
    if (last.removed.length) this.reportStaticCredentials({ path: this.path, keys: last.removed, removed: true });
    const keptKey = last.kept.join('\n');
    if (last.kept.length && keptKey !== this.lastKept)
      this.reportStaticCredentials({ path: this.path, keys: last.kept, removed: false, ...(why ? { why } : {}) });
    this.lastKept = keptKey; // once per distinct set, not on every file event
    return true;
  }

  private reportStaticCredentials(event: DockerConfigEvents['static-credentials']): void {
    // Key names only, never the values: they are secrets.
    if (event.removed) {
      // Named `staticAuthsKeys`, not `…Credentials`: the log redacts fields named like secrets, and these are only registry names.
      this.options.logger?.audit('tampering', { path: event.path, staticAuthsKeys: event.keys, action: 'removed' });
    } else {
      this.options.logger?.warn(
        `Docker config holds static credentials for a Bosun registry (${event.keys.join(', ')}) and ${event.why ?? 'is not Bosun’s to change'}; ` +
          'docker would send them instead of asking Bosun. Remove them from "auths" (or make the file writable by you).',
        { path: event.path, staticAuthsKeys: event.keys },
      );
    }
    this.bus.emit('static-credentials', event);
  }

  /** Bosun's own writes never overlap: a repair decided for an old registry list must not land after a newer ensure. */
  private serially<T>(job: () => Promise<T>): Promise<T> {
    const run = this.chain.then(job);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** What `bosun doctor` and the tray show: are Bosun's entries there, changed, or is the file malformed? */
  inspect(registries: string[] | undefined = this.wanted): DockerConfigInspection {
    try {
      const { config } = readDockerConfig(this.path);
      const report = inspectBosunEntries(config, registries ?? []);
      const state = registries === undefined ? 'not-managed' : report.ok ? 'ok' : 'needs-repair';
      return { path: this.path, state, ...report };
    } catch (err) {
      if (err instanceof MalformedDockerConfigError) return { path: this.path, state: 'malformed', message: err.message };
      throw err;
    }
  }

  /** Starts watching config.json (its directory, so replace-by-rename and delete are seen too). */
  async watch(): Promise<void> {
    if (this.watcher) return;
    const name = basename(this.path);
    const watcher = watch(dirname(this.path), {
      depth: 0,
      ignoreInitial: true,
      // Only config.json itself; the temp files of atomic writers come and go beside it.
      ignored: (p: string) => p !== dirname(this.path) && basename(p) !== name,
    });
    watcher.on('all', () => this.scheduleCheck());
    watcher.on('error', (err: unknown) => this.bus.emit('problem', { path: this.path, message: String(err) }));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    this.watcher = watcher;
  }

  async dispose(): Promise<void> {
    if (this.debounce) clearTimeout(this.debounce);
    await this.chain;
    await this.watcher?.close();
    this.watcher = undefined;
    this.bus.removeAll();
  }

  private scheduleCheck(): void {
    if (this.debounce) clearTimeout(this.debounce);
    const seen = Date.now();
    this.debounce = setTimeout(() => void this.serially(() => this.checkAndRepair(seen)), this.debounceMs);
  }

  /** On every change: if Bosun's entries are not as they must be, that is tampering: log it and restore them. */
  private async checkAndRepair(seen: number): Promise<void> {
    const wanted = this.wanted;
    if (!wanted) return;
    const state = this.inspect(wanted);
    if (state.state === 'malformed') return this.reportMalformed(state.message);
    this.lastMalformed = undefined;
    if (state.state === 'ok') return;
    // Static credentials in a file that is not Bosun's to change are reported by writeEntries, not repaired.
    const staticCredentials = notBosunsToChange(this.path) ? [] : state.staticCredentials;
    if (state.missing.length || state.changed.length || staticCredentials.length) {
      this.bus.emit('tampering', { path: this.path, missing: state.missing, changed: state.changed, staticCredentials });
      this.options.logger?.audit('tampering', { path: this.path, missing: state.missing, changed: state.changed, staticAuthsKeys: staticCredentials });
    }
    const ok = await this.writeEntries('repair', wanted);
    if (ok) this.bus.emit('repaired', { path: this.path, registries: wanted, ms: Date.now() - seen });
  }

  private async write(what: string, transform: Parameters<typeof updateDockerConfig>[1]): Promise<boolean> {
    try {
      const r = await updateDockerConfig(this.path, transform);
      if (r.retries) {
        this.options.logger?.info(`Docker config ${what}: another program wrote config.json meanwhile; Bosun built on its version`, {
          path: this.path,
          retries: r.retries,
          rescued: r.rescued,
        });
      }
      this.lastMalformed = undefined;
      return true;
    } catch (err) {
      if (err instanceof MalformedDockerConfigError) {
        this.reportMalformed(err.message);
        return false;
      }
      const message = err instanceof Error ? err.message : String(err);
      this.options.logger?.warn(`Docker config ${what} failed`, { path: this.path, error: message });
      this.bus.emit('problem', { path: this.path, message });
      return false;
    }
  }

  private reportMalformed(message: string): void {
    if (this.lastMalformed === message) return; // Once per distinct problem, not on every event.
    this.lastMalformed = message;
    this.options.logger?.warn('Docker config is malformed; leaving it untouched', { path: this.path, problem: message });
    this.bus.emit('malformed', { path: this.path, message });
  }
}
