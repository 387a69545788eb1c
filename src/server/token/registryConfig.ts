// The registry side of token auth (docs/registry-token-service.md, "Setting up a registry"): distribution 2.8 needs
// all four of auth.token.{realm, service, issuer, rootcertbundle}.
import { stringify } from 'yaml';

/** The `iss` of every token, and the registry's `issuer`. */
export const TOKEN_ISSUER = 'bosun';

export interface TokenAuthBlock {
  /** The token endpoint URL (GET/POST /token). */
  realm: string;
  /** The registry's service name, the tokens' `aud`. */
  service: string;
  issuer: string;
  /** Absolute path of the PEM certificate bundle. */
  rootcertbundle: string;
}

/** The YAML `auth:` block to paste into the registry's config.yml. */
export function registryAuthYaml(block: TokenAuthBlock): string {
  return stringify({ auth: { token: { realm: block.realm, service: block.service, issuer: block.issuer, rootcertbundle: block.rootcertbundle } } });
}

/** Checks the --realm value: an absolute http(s) URL. Returns a problem, or undefined when fine. */
export function realmProblem(realm: string): string | undefined {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return `--realm ${JSON.stringify(realm)} is not a URL; give the token endpoint, for example https://bosun.example.com/token`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `--realm must be an http or https URL, not ${url.protocol}`;
  return undefined;
}
