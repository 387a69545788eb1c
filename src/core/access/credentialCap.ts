// Step 5 of the evaluation order (docs/permission-model.md): what a credential itself allows,
// whatever the principal's rights. A PAT caps by its scopes; so does a refresh token minted from a
// PAT, which carries the PAT's scopes: a refresh token never grants more than the credential it
// came from. Passwords, and refresh tokens from a password sign-in, cap nothing.
import type { Credential, PatScope, RepoAction } from './accessFacts.js';
import { REPO_ACTIONS, patScopeActions } from './permissionLevels.js';

/** The PAT scopes that cap this credential, or undefined when it is not capped by scopes. */
export function credentialScopes(credential: Credential): PatScope[] | undefined {
  if (credential.kind === 'pat') return credential.scopes;
  if (credential.kind === 'refresh') return credential.scopes;
  return undefined;
}

/** The registry actions the credential allows at most. */
export function credentialCap(credential: Credential): RepoAction[] {
  const scopes = credentialScopes(credential);
  return scopes === undefined ? [...REPO_ACTIONS] : patScopeActions(scopes);
}
