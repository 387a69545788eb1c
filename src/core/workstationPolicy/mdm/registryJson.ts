// registry.json in Docker Desktop's format (README's source 4): {"allowedOrgs": ["org1", "org2"]}.

/** The file's text: two-space JSON with a trailing newline, UTF-8 without BOM. */
export function renderRegistryJson(allowedOrgs: readonly string[]): string {
  return JSON.stringify({ allowedOrgs }, null, 2) + '\n';
}
