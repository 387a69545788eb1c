// Bosun's entries in Docker's config.json (design.md, "Docker configuration"), as pure functions
// over the parsed document: `credHelpers["<registry host>"] = "bosun"` for each protected registry.
// Everything else is the user's or another program's and survives untouched: credsStore, other
// registries' helpers, auths, and keys this code does not know.

/** The helper name Docker derives `docker-credential-bosun` from. */
export const BOSUN_HELPER = 'bosun';

export type DockerConfigDocument = Record<string, unknown>;

/**
 * The credHelpers keys clients look up for one registry. Docker Hub goes by three names: the docker
 * CLI looks up its index URL `https://index.docker.io/v1/` (seen with CLI 28: `docker logout` skips a
 * helper set under `index.docker.io`), containers/image (skopeo, podman) looks up `docker.io`, and
 * the design names the host `index.docker.io`. Every other registry is its `host[:port]`.
 */
export function credHelperKeys(registry: string): string[] {
  if (registry === 'index.docker.io' || registry === 'docker.io' || registry === 'https://index.docker.io/v1/') {
    return ['index.docker.io', 'https://index.docker.io/v1/', 'docker.io'];
  }
  return [registry];
}

function expand(registries: readonly string[]): string[] {
  return [...new Set(registries.flatMap(credHelperKeys))];
}

export type ParsedDockerConfig = { ok: true; config: DockerConfigDocument } | { ok: false; message: string };

/** Parses config.json text; an empty or missing file is an empty config, anything else non-object is malformed. */
export function parseDockerConfig(text: string | undefined): ParsedDockerConfig {
  if (text === undefined || text.trim() === '') return { ok: true, config: {} };
  let value: unknown;
  try {
    // Docker itself accepts a UTF-8 BOM-free file only; a BOM is stripped rather than called malformed.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { ok: false, message: `is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'is not a JSON object' };
  const helpers = (value as DockerConfigDocument).credHelpers;
  if (helpers !== undefined && (helpers === null || typeof helpers !== 'object' || Array.isArray(helpers))) {
    return { ok: false, message: '"credHelpers" is not a JSON object' };
  }
  return { ok: true, config: value as DockerConfigDocument };
}

function helpersOf(config: DockerConfigDocument): Record<string, unknown> {
  const h = config.credHelpers;
  return h && typeof h === 'object' && !Array.isArray(h) ? (h as Record<string, unknown>) : {};
}

export interface MergeResult {
  config: DockerConfigDocument;
  changed: boolean;
}

/**
 * Makes Bosun's entries exactly `registries`: sets each to "bosun" (a protected registry is Bosun's,
 * whatever helper was there), and removes "bosun" entries for registries no longer protected.
 * Returns a new document; the input is not modified.
 */
export function applyBosunEntries(config: DockerConfigDocument, registries: readonly string[]): MergeResult {
  const wanted = new Set(expand(registries));
  const helpers = { ...helpersOf(config) };
  let changed = false;
  for (const [host, helper] of Object.entries(helpers)) {
    if (helper === BOSUN_HELPER && !wanted.has(host)) {
      delete helpers[host];
      changed = true;
    }
  }
  for (const host of wanted) {
    if (helpers[host] !== BOSUN_HELPER) {
      helpers[host] = BOSUN_HELPER;
      changed = true;
    }
  }
  if (!changed) return { config, changed: false };
  return { config: { ...config, credHelpers: helpers }, changed: true };
}

/** Removes every "bosun" entry and nothing else; drops `credHelpers` only when Bosun's entries were all it held. */
export function removeBosunEntries(config: DockerConfigDocument): MergeResult & { removed: string[] } {
  const helpers = { ...helpersOf(config) };
  const removed = Object.keys(helpers).filter((h) => helpers[h] === BOSUN_HELPER);
  if (!removed.length) return { config, changed: false, removed };
  for (const host of removed) delete helpers[host];
  const next = { ...config };
  if (Object.keys(helpers).length) next.credHelpers = helpers;
  else delete next.credHelpers;
  return { config: next, changed: true, removed };
}

export interface BosunEntriesReport {
  /** Registries with no credHelpers entry at all. */
  missing: string[];
  /** Registries whose entry names another helper. */
  changed: Array<{ registry: string; helper: unknown }>;
  /** "bosun" entries for registries Bosun does not protect (left over). */
  extra: string[];
  ok: boolean;
}

export function inspectBosunEntries(config: DockerConfigDocument, wantedRegistries: readonly string[]): BosunEntriesReport {
  const helpers = helpersOf(config);
  const registries = expand(wantedRegistries);
  const missing: string[] = [];
  const changed: BosunEntriesReport['changed'] = [];
  for (const registry of registries) {
    if (!(registry in helpers)) missing.push(registry);
    else if (helpers[registry] !== BOSUN_HELPER) changed.push({ registry, helper: helpers[registry] });
  }
  const wanted = new Set(registries);
  const extra = Object.keys(helpers).filter((h) => helpers[h] === BOSUN_HELPER && !wanted.has(h));
  return { missing, changed, extra, ok: !missing.length && !changed.length && !extra.length };
}
