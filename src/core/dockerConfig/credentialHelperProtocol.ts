// Words of the Docker credential-helper protocol (docs/helper.md) that the agent and the helper must
// spell identically. A tiny module on purpose: the helper bundle imports it and must stay small.

/**
 * The exact sentence docker-credential-helpers' `credentials.IsErrCredentialsNotFoundMessage` matches:
 * on `get`, clients treat it as "no credentials here" and go anonymous.
 */
export const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';
