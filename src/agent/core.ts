// The agent core: owns the state machine, performs its effects through the ports, and publishes
// every state on the bus. The headless `bosun agent` and the Electron shell both wrap this class.
import {
  awaitingVerification,
  initialSnapshot,
  mayUseCredentials,
  reduce,
  sameSession,
  sessionOf,
  type AgentEffect,
  type AgentEvent,
  type AgentSnapshot,
  type Session,
} from '../core/agent/agentState.js';
import { protectedRegistryFor, registryHost } from '../core/dockerConfig/registryHost.js';
import { TypedBus } from './eventBus.js';
import type { AccountPort, DeviceCodePrompt, DockerConfigPort, IdentityPort, OrgPickNeeded, PolicyPort, SignInResult, StoredIdentity } from './ports.js';

export interface AgentEvents {
  state: AgentSnapshot;
  notification: { topic: string; message: string };
  /** A credential request arrived while nobody was signed in: a tray pops up the sign-in window. */
  'sign-in-prompt': { registry: string };
  /** A side effect failed; the core keeps running (fail closed), and says what went wrong. */
  problem: { where: string; message: string };
}

export interface AgentTimings {
  /** Membership/token re-check period while signed in. */
  recheckMs: number;
  /** How long a signed-in user stays signed in while the server cannot be reached. */
  offlineGraceMs: number;
  /** Re-check period while offline (and at start), so a late network does not cause a false sign-out. */
  offlineRetryMs: number;
}

export const DEFAULT_TIMINGS: AgentTimings = { recheckMs: 15 * 60_000, offlineGraceMs: 24 * 3600_000, offlineRetryMs: 30_000 };

export interface Credentials {
  username: string;
  secret: string;
}

/** Why the helper gets no credentials, in words for the user's terminal. */
export class NoCredentialsError extends Error {
  override name = 'NoCredentialsError';
  constructor(
    message: string,
    readonly protectedRegistry: boolean,
  ) {
    super(message);
  }
}

export interface AgentCoreDeps {
  policy: PolicyPort;
  identity: IdentityPort;
  dockerConfig: DockerConfigPort;
  account: AccountPort;
  timings?: Partial<AgentTimings>;
  now?: () => number;
}

export type LoginOutcome = { kind: 'signed-in'; session: Session } | { kind: 'pick-org'; orgs: string[] } | { kind: 'failed'; message: string };

export class AgentCore {
  readonly bus = new TypedBus<AgentEvents>();
  private snapshot: AgentSnapshot = initialSnapshot();
  private identity: StoredIdentity | undefined;
  private registries: string[] = [];
  private readonly timings: AgentTimings;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribePolicy: (() => void) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private checking: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly deps: AgentCoreDeps) {
    this.timings = { ...DEFAULT_TIMINGS, ...deps.timings };
    this.now = deps.now ?? Date.now;
  }

  get state(): AgentSnapshot {
    return this.snapshot;
  }

  async start(): Promise<void> {
    this.dispatch({ type: 'policy', policy: this.deps.policy.current() });
    this.unsubscribePolicy = this.deps.policy.subscribe((policy) => this.dispatch({ type: 'policy', policy }));
    await this.refreshRegistries();
    try {
      this.identity = await this.deps.identity.load();
    } catch (err) {
      this.problem('keychain', err);
    }
    if (this.identity) this.dispatch({ type: 'restored', session: this.identity.session });
    await this.idle();
    // A restored session is handed out only once the server has confirmed it: confirm it before the
    // agent reports itself ready, so the first pull does not race the check.
    if (awaitingVerification(this.snapshot.state)) await this.checkNow().catch((err: unknown) => this.problem('check', err));
    this.schedule();
  }

  /** Resolves when every effect queued so far has been performed. */
  idle(): Promise<void> {
    return this.queue;
  }

  async login(username: string, secret: string, org?: string): Promise<LoginOutcome> {
    return this.signInWith(() => this.deps.account.signIn(username, secret, this.snapshot.policy.allowedOrgs, org));
  }

  /** Browser sign-in (RFC 8628): `onPrompt` shows the code and opens the verification page. */
  async loginWithBrowser(onPrompt: (prompt: DeviceCodePrompt) => void, org?: string, signal?: AbortSignal): Promise<LoginOutcome> {
    const account = this.deps.account;
    if (!account.deviceSignIn) return { kind: 'failed', message: 'This server does not offer browser sign-in; sign in with a username and password or token.' };
    return this.signInWith(() => account.deviceSignIn!(this.snapshot.policy.allowedOrgs, org, onPrompt, signal));
  }

  /**
   * A sign-in never ends the session it would replace until it has fully succeeded: while it runs the
   * held session is still handed out, a failure leaves it as it was, and only a new session the agent
   * accepted takes over; the old one is then revoked on the server. A new session the agent does not
   * accept is revoked too, so no live token is left behind.
   */
  private async signInWith(attempt: () => Promise<SignInResult | OrgPickNeeded>): Promise<LoginOutcome> {
    if (this.snapshot.state.name === 'policy-error') {
      return { kind: 'failed', message: 'Sign-in is unavailable: your organization’s Bosun policy cannot be read. Contact IT.' };
    }
    const previous = this.identity;
    const held = sessionOf(this.snapshot.state);
    this.dispatch({ type: 'sign-in-started' });
    let obtained: StoredIdentity | undefined;
    try {
      const r = await attempt();
      if (r.kind === 'pick-org') {
        this.dispatch({ type: 'sign-in-failed', message: `Choose the organization for this session: ${r.orgs.join(', ')}.` });
        return { kind: 'pick-org', orgs: r.orgs };
      }
      obtained = r.identity;
      const fresh = r.identity;
      const accepted = this.accepts(fresh.session, held);
      if (!accepted) {
        // Decided before anything is stored: the keychain keeps the held session untouched.
        this.dispatch({ type: 'sign-in-succeeded', session: fresh.session, now: this.now(), ...(held ? { replaces: held } : {}) });
        await this.idle();
        await this.revokeQuietly(fresh, 'sign-in');
        const state = this.snapshot.state;
        if (state.name === 'signed-out' && state.reason) return { kind: 'failed', message: state.reason };
        const still = sessionOf(state);
        const policy = this.snapshot.policy;
        const why =
          policy.state !== 'enforced' || policy.allowedOrgs.includes(fresh.session.org) ? 'was not accepted' : 'is refused: it is not an allowed organization';
        return {
          kind: 'failed',
          message: `Sign-in to ${fresh.session.org} ${why}.${still ? ` You are still signed in as ${still.user} · ${still.org}.` : ''}`,
        };
      }
      await this.deps.identity.save(fresh);
      this.identity = fresh;
      this.dispatch({ type: 'sign-in-succeeded', session: fresh.session, now: this.now(), ...(held ? { replaces: held } : {}) });
      const taken = sessionOf(this.snapshot.state);
      if (!taken || !sameSession(taken, fresh.session)) {
        // The state changed while the keychain was written (a policy change, a sign-out): not accepted.
        // The previous session comes back only if the agent still holds it (it may have ended meanwhile).
        const kept = previous && this.holds(previous.session) ? previous : undefined;
        this.identity = kept;
        if (!kept || !sameSession(kept.session, fresh.session)) await this.deps.identity.erase(fresh.session);
        if (kept) await this.deps.identity.save(kept);
        throw new Error(`Sign-in to ${fresh.session.org} was not accepted: the agent's state changed meanwhile. Try again.`);
      }
      obtained = undefined; // The agent holds it now.
      if (previous && previous.secret !== fresh.secret) await this.retire(previous, fresh);
      await this.refreshRegistries();
      await this.idle();
      return { kind: 'signed-in', session: fresh.session };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (obtained) await this.revokeQuietly(obtained, 'sign-in');
      this.dispatch({ type: 'sign-in-failed', message });
      return { kind: 'failed', message };
    }
  }

  /** Whether the state still holds `session` (usable, dormant, or kept through a policy error). */
  private holds(session: Session): boolean {
    const state = this.snapshot.state;
    const held = sessionOf(state) ?? (state.name === 'signed-out' ? state.dormant : state.name === 'policy-error' ? state.session : undefined);
    return !!held && sameSession(held, session);
  }

  /** Whether the reducer would take `session` as the result of the sign-in that started while `held` was held. */
  private accepts(session: Session, held: Session | undefined): boolean {
    const t = reduce(this.snapshot, { type: 'sign-in-succeeded', session, now: this.now(), ...(held ? { replaces: held } : {}) });
    const now = sessionOf(t.snapshot.state);
    return !!now && sameSession(now, session) && t.snapshot.state !== this.snapshot.state;
  }

  /** The session a successful sign-in replaced: revoked on the server, and its keychain entry removed. */
  private async retire(previous: StoredIdentity, successor: StoredIdentity): Promise<void> {
    await this.revokeQuietly(previous, 'sign-in');
    // Same (server, user, org): the keychain entry already holds the successor's secret.
    if (!sameSession(previous.session, successor.session)) {
      await this.deps.identity.erase(previous.session).catch((err: unknown) => this.problem('keychain', err));
    }
  }

  /** Ends a session on the server; best effort (the server may be unreachable), and said when it fails. */
  private async revokeQuietly(identity: StoredIdentity, where: string): Promise<void> {
    try {
      await this.deps.account.revoke(identity);
    } catch (err) {
      this.problem(
        where,
        new Error(
          `could not revoke the session of ${identity.session.user} · ${identity.session.org} on the server: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
    }
  }

  /** Whether `secret` is the secret of the identity the agent holds now. */
  holdsSecret(secret: string): boolean {
    return this.identity !== undefined && this.identity.secret === secret;
  }

  /**
   * Ends on the server a refresh token a client offered that the agent will not keep (a refused
   * `docker login`), so no live token is left behind. Best effort, like sign-out: said when it fails.
   */
  async discardRefreshToken(secret: string): Promise<void> {
    if (this.holdsSecret(secret)) return;
    const server = sessionOf(this.snapshot.state)?.server ?? '';
    try {
      await this.deps.account.revoke({ kind: 'refresh', secret, session: { server, user: '(docker login)', org: '' } });
    } catch (err) {
      this.problem(
        'docker login',
        new Error(`could not revoke the refused docker login token on the server: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
  }

  async logout(): Promise<void> {
    const identity = this.identity;
    if (identity) {
      try {
        await this.deps.account.revoke(identity);
      } catch (err) {
        this.problem('sign-out', err); // Offline sign-out still erases the local identity.
      }
    }
    this.dispatch({ type: 'sign-out-requested' });
    await this.idle();
  }

  /** Re-checks token validity and membership now (one check at a time; a caller joins the running one). */
  checkNow(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    const identity = this.identity;
    if (!identity) return;
    const result = await this.deps.account.check(identity, this.snapshot.policy.allowedOrgs);
    // A sign-in or sign-out meanwhile: this answer is about a session the agent no longer holds.
    if (this.identity !== identity) return;
    if (result.ok) {
      this.dispatch({ type: 'check-passed', now: this.now() });
      await this.refreshRegistries();
    } else if (result.why === 'unreachable') {
      this.dispatch({ type: 'server-unreachable', now: this.now(), graceMs: this.timings.offlineGraceMs });
    } else {
      this.dispatch({ type: 'session-invalid', why: result.why, message: result.message });
    }
    await this.idle();
  }

  /**
   * The credential helper's `get`. Hands out the identity only where the state allows it (fail closed),
   * and only for a registry this server protects, under any of its names (src/core/dockerConfig/registryHost.ts):
   * a pull through `localhost:PORT` of a registry listed as `127.0.0.1:PORT` is Bosun's too.
   */
  credentialsFor(serverURL: string): Credentials {
    const registry = protectedRegistryFor(serverURL, this.registries);
    const isProtected = registry !== undefined;
    const state = this.snapshot.state;
    if (!isProtected) throw new NoCredentialsError(`${registryHost(serverURL)} is not a registry Bosun manages.`, false);
    if (this.identity && mayUseCredentials(state)) {
      const { identity } = this;
      // Username "<token>" tells docker the secret is an identity (refresh) token (docs/helper.md).
      return identity.kind === 'refresh' ? { username: '<token>', secret: identity.secret } : { username: identity.session.user, secret: identity.secret };
    }
    this.bus.emit('sign-in-prompt', { registry });
    throw new NoCredentialsError(this.explainNoCredentials(), true);
  }

  /** The sentence the helper prints on stderr when it cannot hand out credentials. */
  explainNoCredentials(): string {
    const state = this.snapshot.state;
    const orgs = this.snapshot.policy.allowedOrgs;
    const target = orgs.length ? orgs.join(' or ') : 'your organization';
    switch (state.name) {
      case 'policy-error':
        return 'Bosun cannot read your organization’s policy, so no credentials are handed out. Contact IT (run `bosun policy show`).';
      case 'signing-in':
        return `Bosun is signing you in to ${target}; finish signing in, then retry.`;
      case 'signed-in':
        if (awaitingVerification(state)) {
          return `Bosun is confirming your stored sign-in as ${state.session.user} · ${state.session.org} with ${state.session.server}; retry in a moment.`;
        }
        return `sign in to ${target} with Bosun: open Bosun from the tray or run \`bosun login\``;
      case 'signed-out':
        return `sign in to ${target} with Bosun: open Bosun from the tray or run \`bosun login\`${state.reason ? ` (${state.reason})` : ''}`;
      default:
        return `sign in to ${target} with Bosun: open Bosun from the tray or run \`bosun login\``;
    }
  }

  managedRegistries(): string[] {
    return [...this.registries];
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribePolicy?.();
    await this.idle();
    await this.deps.policy.close();
    this.bus.removeAll();
  }

  private dispatch(event: AgentEvent): void {
    const t = reduce(this.snapshot, event);
    const changed = t.snapshot !== this.snapshot;
    this.snapshot = t.snapshot;
    for (const effect of t.effects) this.enqueue(() => this.perform(effect));
    this.enqueue(() => this.syncDockerConfig());
    if (changed) this.bus.emit('state', this.snapshot);
    this.schedule();
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch((err: unknown) => this.problem('agent', err));
  }

  private async perform(effect: AgentEffect): Promise<void> {
    switch (effect.kind) {
      case 'erase-credentials': {
        const held = this.identity && sameSession(this.identity.session, effect.session) ? this.identity : undefined;
        if (held) this.identity = undefined;
        if (effect.revoke && held) await this.revokeQuietly(held, 'revoke');
        await this.deps.identity.erase(effect.session);
        return;
      }
      case 'notify':
        this.bus.emit('notification', { topic: effect.topic, message: effect.message });
        return;
      case 'check-session':
        // Not awaited inside the queue: a check waits on the network and queues its own events.
        void this.checkNow().catch((err: unknown) => this.problem('check', err));
        return;
    }
  }

  /** credHelpers point at bosun while a policy is enforced or a session exists; otherwise they are undone. */
  private async syncDockerConfig(): Promise<void> {
    const { state, policy } = this.snapshot;
    const wanted = policy.state !== 'no-policy' || !!sessionOf(state);
    if (wanted && this.registries.length) await this.deps.dockerConfig.ensure(this.registries);
    else if (!wanted) await this.deps.dockerConfig.undo();
  }

  private async refreshRegistries(): Promise<void> {
    try {
      const registries = await this.deps.account.registries();
      if (registries.join('\n') !== this.registries.join('\n')) {
        this.registries = registries;
        this.enqueue(() => this.syncDockerConfig());
      }
    } catch (err) {
      this.problem('discovery', err); // Keep the last known list; the next check retries.
    }
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    const state = this.snapshot.state;
    let delay: number | undefined;
    if (state.name === 'offline-grace') delay = Math.min(this.timings.offlineRetryMs, Math.max(0, state.deadline - this.now()));
    else if (state.name === 'signed-in') delay = state.verifiedAt === undefined ? this.timings.offlineRetryMs : this.timings.recheckMs;
    else if (state.name === 'signed-out' && state.dormant) delay = this.timings.offlineRetryMs;
    if (delay === undefined) return;
    this.timer = setTimeout(() => {
      this.dispatch({ type: 'tick', now: this.now() });
      void this.checkNow().catch((err: unknown) => this.problem('check', err));
    }, delay);
    this.timer.unref?.();
  }

  private problem(where: string, err: unknown): void {
    this.bus.emit('problem', { where, message: err instanceof Error ? err.message : String(err) });
  }
}
