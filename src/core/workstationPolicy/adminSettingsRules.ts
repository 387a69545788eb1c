// Bosun's own admin settings (settings.json in an admin-only location), validated like registry.json
// against schemas/settings.schema.json. Pure: src/platform/workstationPolicy/readAdminSettings.ts reads the file.
import { readJsonDocument, validateDocument, type Issue } from './policyDocument.js';

export interface RegistryOverride {
  host: string;
  /** The token service's `service` name for this registry, when it differs from the host. */
  service?: string;
}

/** settings.json after validation, with defaults applied. */
export interface AdminSettings {
  server: string;
  registries?: RegistryOverride[];
  offlineGraceMinutes: number;
  recheckMinutes: number;
  /** Docker Hub mode: explicit, or implied by server https://hub.docker.com. */
  hubMode: boolean;
}

export const SETTINGS_DEFAULTS = { offlineGraceMinutes: 60 * 24, recheckMinutes: 15 } as const;

const HUB_URL = 'https://hub.docker.com';

export interface SettingsFindings {
  settings?: AdminSettings;
  errors: Issue[];
  warnings: Issue[];
}

interface RawSettings {
  server: string;
  registries?: RegistryOverride[];
  offlineGraceMinutes?: number;
  recheckMinutes?: number;
  hubMode?: boolean;
}

export function isDockerHubUrl(server: string): boolean {
  try {
    const u = new URL(server);
    return u.protocol === 'https:' && u.hostname === 'hub.docker.com';
  } catch {
    return false;
  }
}

export function evaluateAdminSettings(bytes: Uint8Array, name = 'settings.json'): SettingsFindings {
  const doc = readJsonDocument(bytes, name);
  if (doc.errors.length) return { errors: doc.errors, warnings: doc.warnings };
  const { errors, warnings } = validateDocument('settings.schema.json', doc.value);
  const allWarnings = [...doc.warnings, ...warnings];
  if (errors.length) return { errors, warnings: allWarnings };
  const raw = doc.value as RawSettings;
  const server = raw.server.replace(/\/+$/, '');
  if (new URL(server).protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(server).hostname)) {
    allWarnings.push({
      path: '/server',
      message: `uses plain http to a remote host (${server}); sign-in secrets would cross the network unencrypted, use https`,
    });
  }
  const hubMode = raw.hubMode ?? isDockerHubUrl(server);
  if (raw.hubMode === true && !isDockerHubUrl(server)) {
    allWarnings.push({ path: '/hubMode', message: `is true but server is not ${HUB_URL}; the agent will sign in to ${server} with a personal access token` });
  }
  const settings: AdminSettings = {
    server,
    ...(raw.registries ? { registries: raw.registries } : {}),
    offlineGraceMinutes: raw.offlineGraceMinutes ?? SETTINGS_DEFAULTS.offlineGraceMinutes,
    recheckMinutes: raw.recheckMinutes ?? SETTINGS_DEFAULTS.recheckMinutes,
    hubMode,
  };
  return { settings, errors: [], warnings: allWarnings };
}
