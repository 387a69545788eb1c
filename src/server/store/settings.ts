// Server-wide settings and the registries this server authorizes (served at /.well-known/bosun,
// read by the token service to map a registry host to its `service` name).
import type { AnonymousPullImageAccess } from '../../core/access/accessFacts.js';
import { DEFAULT_ANONYMOUS_PULL_IMAGE_ACCESS } from '../../core/access/anonymousImageAccess.js';
import type { Db } from './database.js';

export interface ServerSettings {
  /** Anonymous users may pull public repositories. */
  anonymousPull: boolean;
  /** Whether anonymous pulls follow the strictest Image Access Management of the directory (default) or ignore it. */
  anonymousPullImageAccess: AnonymousPullImageAccess;
  /** Authenticated users may create repositories in their personal namespace (USER_COLLECTIONS-style). */
  userNamespaces: boolean;
  /** Verified Publisher namespaces. */
  verifiedPublishers: string[];
  /** Lifetime of access tokens this server issues (account API and registry), in seconds. */
  tokenLifetimeSeconds: number;
  /** Visibility of a repository created by a first push. */
  newRepositoryVisibility: 'public' | 'private';
  /** A refresh token (agent session or `docker login` token) ends this many seconds after issue, however often it is used. */
  refreshTokenMaxAgeSeconds: number;
  /** A refresh token ends after this many seconds without use. */
  refreshTokenIdleSeconds: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  anonymousPull: false,
  anonymousPullImageAccess: DEFAULT_ANONYMOUS_PULL_IMAGE_ACCESS,
  userNamespaces: false,
  verifiedPublishers: [],
  tokenLifetimeSeconds: 300,
  newRepositoryVisibility: 'private',
  // 30 days: a monthly sign-in bounds what a copied secret is worth; 7 days idle: a running agent
  // checks its session every few minutes, so only abandoned tokens reach it, yet a week of leave
  // does not sign anyone out (docs/registry-token-service.md, "Refresh-token lifetime").
  refreshTokenMaxAgeSeconds: 30 * 86_400,
  refreshTokenIdleSeconds: 7 * 86_400,
};

export interface Registry {
  host: string;
  service: string;
}

export class SettingsStore {
  constructor(private readonly db: Db) {}

  get(): ServerSettings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const r of rows) if (Object.hasOwn(DEFAULT_SETTINGS, r.key)) out[r.key] = JSON.parse(r.value);
    return out as unknown as ServerSettings;
  }

  /** Sets the given keys; returns the keys whose value changed. */
  update(patch: Partial<ServerSettings>): (keyof ServerSettings)[] {
    const before = this.get();
    const changed: (keyof ServerSettings)[] = [];
    const put = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    for (const key of Object.keys(patch) as (keyof ServerSettings)[]) {
      const value = patch[key];
      if (value === undefined || !Object.hasOwn(DEFAULT_SETTINGS, key)) continue;
      if (JSON.stringify(before[key]) === JSON.stringify(value)) continue;
      put.run(key, JSON.stringify(value));
      changed.push(key);
    }
    return changed;
  }

  registries(): Registry[] {
    return this.db.prepare('SELECT host, service FROM registries ORDER BY host').all() as Registry[];
  }

  /** The `service` name of a registry host, as it appears in the registry's auth.token.service. */
  serviceOf(host: string): string | undefined {
    return (this.db.prepare('SELECT service FROM registries WHERE host = ?').get(host) as { service: string } | undefined)?.service;
  }

  upsertRegistry(r: Registry): 'created' | 'updated' | 'unchanged' {
    const current = this.serviceOf(r.host);
    if (current === r.service) return 'unchanged';
    this.db.prepare('INSERT INTO registries (host, service) VALUES (?, ?) ON CONFLICT(host) DO UPDATE SET service = excluded.service').run(r.host, r.service);
    return current === undefined ? 'created' : 'updated';
  }

  deleteRegistry(host: string): boolean {
    return this.db.prepare('DELETE FROM registries WHERE host = ?').run(host).changes > 0;
  }
}
