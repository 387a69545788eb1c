// What every route set receives from `buildServer`: the store, authentication, the logger, the data dir.
import type { Logger } from 'winston';
import type { AccessFacts, Credential } from '../core/access/accessFacts.js';
import type { Caller } from './accessFactsBuilder.js';
import type { AccountTokens } from './auth/accountTokens.js';
import type { Authenticator } from './auth/authenticator.js';
import type { AuditEvent } from './store/audit.js';
import type { Store } from './store/store.js';

export interface ServerContext {
  store: Store;
  auth: Authenticator;
  accountTokens: AccountTokens;
  logger: Logger;
  /** The data dir the store lives in (also for files such as the token service's signing key). */
  dataDir: string;
  /** The URL clients reach this server at (from --public-url, else the listen address). */
  publicUrl(): string;
  audit(event: AuditEvent): void;
  /** Store → AccessFacts for decideAccess (see accessFactsBuilder.ts). */
  facts(caller: Caller, credential: Credential, repository: string): AccessFacts;
}
