// Which account events revoke which tokens (docs/permission-model.md, "Invariants"). Every one of
// them ends all refresh tokens (agent sessions and `docker login` tokens) and the account access
// tokens issued before it. Personal access tokens are separate credentials the user made on
// purpose, for scripts and CI: a password change leaves them (as on GitHub: the password is not
// what they prove); "sign out everywhere" and disabling the account end them too.

export type RevocationCause = 'sign-out-everywhere' | 'password-changed' | 'disabled';

export function revokesPersonalAccessTokens(cause: RevocationCause): boolean {
  return cause !== 'password-changed';
}
