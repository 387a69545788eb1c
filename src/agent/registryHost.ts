/**
 * The credHelpers key for what a client passes: `https://index.docker.io/v1/` → `index.docker.io`;
 * `host:5000` stays. The docker CLI passes a bare `host[:port]` for private registries and the v1 URL
 * for Hub (design.md). Kept dependency-free: the credential helper bundles it.
 */
export function registryHost(serverURL: string): string {
  return serverURL.trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '').toLowerCase();
}

/** Docker Hub under any of its names (`docker.io` from containers/image, the v1 URL from docker) is `index.docker.io`. */
export function canonicalRegistry(serverURL: string): string {
  const host = registryHost(serverURL);
  return host === 'docker.io' || host === 'registry-1.docker.io' ? 'index.docker.io' : host;
}
