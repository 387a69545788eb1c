// The prefixes that mark a string as a secret token. Defined once: the server issues tokens with
// them (store/tokens.ts, store/sessions.ts) and the log redactor (log.ts) recognises them, so a
// token format the server issues can never be missing from the redactor.

/** A Bosun personal access token: `bosun_pat_` + 43 base64url characters. */
export const BOSUN_PAT_PREFIX = 'bosun_pat_';
/** A Bosun refresh token (agent sessions, `docker login` offline tokens): `bosun_rt_` + 43 base64url characters. */
export const BOSUN_REFRESH_TOKEN_PREFIX = 'bosun_rt_';
/** Docker Hub's personal access tokens (the agent's Hub mode signs in with them). */
export const DOCKER_HUB_PAT_PREFIX = 'dckr_pat_';

/** Every prefix the redactor treats as the start of a secret. */
export const SECRET_TOKEN_PREFIXES: readonly string[] = [BOSUN_PAT_PREFIX, BOSUN_REFRESH_TOKEN_PREFIX, DOCKER_HUB_PAT_PREFIX];

/** The prefixes of the tokens the Bosun server issues. */
export type BosunTokenPrefix = typeof BOSUN_PAT_PREFIX | typeof BOSUN_REFRESH_TOKEN_PREFIX;
