// Registry Access Management (RAM): an org's allowlist of the registries its members may pull from,
// judged on the workstation by the engine guard, its egress proxy and the containers/image files
// (`bosun policy generate --format containers-policy`). Docker Desktop's RAM refuses any other host
// with "Access to docker.io has been restricted by your administrators."; Bosun's refusal also
// names the allowlist and who can change it.
//
// Host rules (docs/permission-model.md, "Registry Access Management"):
//   - an entry is `host`, `host:port`, or `*.domain` (any subdomain at any depth, not `domain` itself);
//   - an entry without a port allows the host on any port; one with a port allows that port only;
//   - names compare case-insensitively; `docker.io`, `index.docker.io` and `registry-1.docker.io`
//     are one registry (canonicalRegistry, src/core/dockerConfig/registryHost.ts);
//   - the registries the org's Bosun server authorizes are always allowed.
import { canonicalRegistry, DOCKER_HUB_HOST } from '../dockerConfig/registryHost.js';

export interface RegistryAccessSettings {
  enabled: boolean;
  /** Host patterns: `host`, `host:port` or `*.domain`. */
  allowed: string[];
}

export const REGISTRY_ACCESS_OFF: RegistryAccessSettings = Object.freeze({ enabled: false, allowed: [] as string[] }) as RegistryAccessSettings;

/** The name people know Docker Hub by, used in messages. */
export const DOCKER_HUB_DISPLAY_NAME = 'docker.io';

/** The registry as a person would name it: Docker Hub as `docker.io`, everything else canonical. */
export function registryDisplayName(host: string): string {
  const canonical = canonicalRegistry(host);
  if (canonical === undefined) return host;
  return canonical === DOCKER_HUB_HOST ? DOCKER_HUB_DISPLAY_NAME : canonical;
}

interface ParsedPattern {
  /** Lowercase host, or the domain after `*.` for a wildcard. */
  host: string;
  wildcard: boolean;
  /** Empty: any port. */
  port: string;
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/**
 * Why `entry` is not a valid allowlist entry, or undefined when it is. The reasons are for people:
 * they name the entry and show the accepted forms.
 */
export function registryPatternProblem(entry: string): string | undefined {
  return parsePattern(entry).problem;
}

function parsePattern(entry: string): { pattern?: ParsedPattern; problem?: string } {
  const forms = 'write a host name (ghcr.io), a host and port (registry.example.com:5000) or a wildcard (*.example.com)';
  const text = entry.trim().toLowerCase();
  if (!text) return { problem: `the registry "${entry}" is empty; ${forms}` };
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text) || text.includes('/')) {
    return { problem: `the registry "${entry}" has a scheme or a path; ${forms}` };
  }
  let rest = text;
  let port = '';
  const portMatch = /^(.*):(\d{1,5})$/.exec(rest);
  if (portMatch && !rest.startsWith('[')) {
    rest = portMatch[1]!;
    port = String(Number(portMatch[2]));
    if (Number(port) < 1 || Number(port) > 65535) return { problem: `the registry "${entry}" has port ${portMatch[2]}, outside 1–65535; ${forms}` };
  }
  if (rest.startsWith('[')) {
    const m = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(rest);
    if (!m) return { problem: `the registry "${entry}" is not a valid IPv6 address in brackets; ${forms}` };
    return { pattern: { host: `[${m[1]}]`, wildcard: false, port: m[2] ? String(Number(m[2])) : '' } };
  }
  const wildcard = rest.startsWith('*.');
  const host = wildcard ? rest.slice(2) : rest;
  if (host.includes('*')) return { problem: `the registry "${entry}" has a "*" other than a leading "*."; ${forms}` };
  if (!HOSTNAME.test(host) || host.length > 253) return { problem: `the registry "${entry}" is not a valid host name; ${forms}` };
  if (wildcard && !host.includes('.')) return { problem: `the registry "${entry}" is a wildcard over a top-level domain; name a domain such as *.example.com` };
  return { pattern: { host, wildcard, port } };
}

/** `host[:port]` of a canonical registry name, with Docker Hub's names folded to one. */
function splitCanonical(canonical: string): { host: string; port: string } {
  if (canonical.startsWith('[')) {
    const end = canonical.indexOf(']');
    return { host: canonical.slice(0, end + 1), port: canonical.slice(end + 2) };
  }
  const colon = canonical.lastIndexOf(':');
  return colon < 0 ? { host: canonical, port: '' } : { host: canonical.slice(0, colon), port: canonical.slice(colon + 1) };
}

function canonicalPatternHost(host: string): string {
  // Fold Docker Hub's names and loopback spellings the same way canonicalRegistry does.
  return splitCanonical(canonicalRegistry(host) ?? host).host;
}

/** Whether one allowlist entry covers the registry `host` (`host[:port]`, any spelling). */
export function registryPatternMatches(entry: string, host: string): boolean {
  const { pattern } = parsePattern(entry);
  const canonical = canonicalRegistry(host);
  if (!pattern || canonical === undefined) return false;
  const target = splitCanonical(canonical);
  if (pattern.port && pattern.port !== (target.port || '443')) return false;
  if (pattern.wildcard) return target.host.endsWith(`.${pattern.host}`);
  return canonicalPatternHost(pattern.host) === target.host;
}

export type RegistryAccessRule = 'registry-access-off' | 'bosun-registry' | 'registry-allowlisted' | 'registry-not-allowed' | 'registry-name-invalid';

export interface RegistryAccessDecision {
  allowed: boolean;
  rule: RegistryAccessRule;
  /** The allowlist entry that matched, for `registry-allowlisted`. */
  matched?: string;
  /** For a refusal: what happened, the allowlist, and what to do. */
  message?: string;
}

export interface RegistryAccessContext {
  org: string;
  settings: RegistryAccessSettings;
  /** The registries the org's Bosun server authorizes (its `registries`); always allowed. */
  bosunRegistries: readonly string[];
}

/** May a member of `context.org` pull from (or reach) the registry `host`? */
export function decideRegistryAccess(host: string, context: RegistryAccessContext): RegistryAccessDecision {
  const canonical = canonicalRegistry(host);
  if (canonical === undefined || canonical.includes('*') || parsePattern(canonical).problem !== undefined) {
    return {
      allowed: false,
      rule: 'registry-name-invalid',
      message: `"${host}" is not a registry host name, so Bosun cannot check it against your organization's registry rules. Check the image name.`,
    };
  }
  if (context.bosunRegistries.some((r) => canonicalRegistry(r) === canonical)) return { allowed: true, rule: 'bosun-registry' };
  if (!context.settings.enabled) return { allowed: true, rule: 'registry-access-off' };
  const matched = context.settings.allowed.find((entry) => registryPatternMatches(entry, host));
  if (matched !== undefined) return { allowed: true, rule: 'registry-allowlisted', matched };
  return { allowed: false, rule: 'registry-not-allowed', message: registryRefusal(registryDisplayName(host), context) };
}

function registryRefusal(name: string, context: RegistryAccessContext): string {
  const allowed = [...context.bosunRegistries.map(registryDisplayName), ...context.settings.allowed];
  const list = allowed.length ? `it allows only ${allowed.join(', ')}` : 'it allows no registry';
  return (
    `Access to ${name} has been restricted by your administrators: the Registry Access Management of org ${context.org} does not list ${name} (${list}). ` +
    `Use an image from an allowed registry, or ask an owner of ${context.org} to add ${name}.`
  );
}
