// One rule for "which registry does this name mean", used by the agent's Docker config entries, the
// credential helper and the helper's agent side. Docker itself spells one registry several ways:
//   - `auths` keys go through ConvertToHostname (docker/cli `cli/config/credentials`): an `http://` or
//     `https://` prefix and everything from the first `/` are dropped, so `https://host:5000/v2/`
//     serves pulls from `host:5000`;
//   - `credHelpers` keys are matched exactly against the reference's host (Docker Hub: the index URL
//     `https://index.docker.io/v1/`; containers/image: `docker.io`).
// A protected registry must not be reachable with static credentials under another spelling, so an
// alias is anything that names the same place: case, `:443` (the HTTPS default), the loopback
// names (127.0.0.0/8, `localhost`, `[::1]`) on the same port, scheme and path, and Docker Hub's names.
// Pure and dependency-free: the credential helper bundles it (docs/helper.md, "Registry aliases").

/** Docker Hub's credHelpers key as the design names it. */
export const DOCKER_HUB_HOST = 'index.docker.io';
const DOCKER_HUB_NAMES = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io']);

/**
 * docker's ConvertToHostname: the `host[:port]` a config key or a server URL names, as written
 * (`https://index.docker.io/v1/` → `index.docker.io`; `host:5000` stays).
 */
export function registryHost(serverURL: string): string {
  return serverURL
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '');
}

/** `host[:port]` split; an IPv6 literal keeps no brackets. Undefined when it is not a host at all. */
function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  if (hostPort.startsWith('[')) {
    const m = /^\[([0-9a-f:.]+)\](?::(\d*))?$/i.exec(hostPort);
    return m ? { host: m[1]!, port: m[2] ?? '' } : undefined;
  }
  const colons = hostPort.split(':').length - 1;
  if (colons > 1) return /^[0-9a-f:.]+$/i.test(hostPort) ? { host: hostPort, port: '' } : undefined; // a bare IPv6 address
  const [host, port = ''] = hostPort.split(':') as [string, string?];
  if (!host || !/^\d*$/.test(port)) return undefined;
  return { host, port };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return host.split('.').every((o) => Number(o) <= 255);
  // ::1 in any spelling, and the IPv4-mapped 127.0.0.0/8 (::ffff:127.0.0.1).
  if (/^(0{0,4}:){2,7}0{0,3}1$/.test(host) || host === '::1') return true;
  return /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The one canonical name of the registry a config key, a server URL or a credHelpers key names:
 * lowercase, no scheme or path, no `:443`, every loopback name as `localhost`, Docker Hub as
 * `index.docker.io`, an IPv6 literal in brackets. Undefined for something that is not a registry name.
 */
export function canonicalRegistry(nameOrUrl: string): string | undefined {
  const hostPort = registryHost(nameOrUrl).toLowerCase();
  if (!hostPort) return undefined;
  const parts = splitHostPort(hostPort);
  if (!parts) return undefined;
  let host = parts.host.replace(/\.$/, ''); // `localhost.` is the same fully-qualified name
  const port = parts.port === '443' || parts.port === '' ? '' : String(Number(parts.port));
  if (!host) return undefined;
  if (DOCKER_HUB_NAMES.has(host) && !port) return DOCKER_HUB_HOST;
  if (isLoopback(host)) host = 'localhost';
  else if (host.includes(':')) host = `[${host}]`;
  return port ? `${host}:${port}` : host;
}

/** Whether `key` (an `auths`/`credHelpers` key, a server URL) names the protected registry `registry`. */
export function isRegistryAlias(key: string, registry: string): boolean {
  const a = canonicalRegistry(key);
  return a !== undefined && a === canonicalRegistry(registry);
}

/** The protected registry `key` names, if any (as listed in `registries`). */
export function protectedRegistryFor(key: string, registries: readonly string[]): string | undefined {
  const wanted = canonicalRegistry(key);
  if (wanted === undefined) return undefined;
  return registries.find((r) => canonicalRegistry(r) === wanted);
}
