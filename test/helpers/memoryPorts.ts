// In-memory implementations of the agent core's ports, for unit tests of code that sits on top of
// the core (control methods, the Electron shell's handlers). The real adapters have their own tests
// against real files, a real keychain and a real server.
import type { PolicyView } from '../../src/core/agent/agentState.js';
import type { AccountPort, DockerConfigPort, IdentityPort, PolicyPort, SessionCheck, StoredIdentity } from '../../src/agent/ports.js';

export class MemoryPolicy implements PolicyPort {
  private listeners = new Set<(v: PolicyView) => void>();
  constructor(private view: PolicyView) {}
  current(): PolicyView {
    return this.view;
  }
  subscribe(listener: (v: PolicyView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(view: PolicyView): void {
    this.view = view;
    for (const l of this.listeners) l(view);
  }
  async close(): Promise<void> {
    this.listeners.clear();
  }
}

export class MemoryIdentity implements IdentityPort {
  stored: StoredIdentity | undefined;
  async load() {
    return this.stored;
  }
  async save(identity: StoredIdentity) {
    this.stored = identity;
  }
  async erase() {
    this.stored = undefined;
  }
}

export class MemoryDockerConfig implements DockerConfigPort {
  registries: string[] = [];
  async ensure(registries: string[]) {
    this.registries = [...registries];
  }
  async undo() {
    this.registries = [];
  }
}

/** A directory of users → (password, orgs), answering like the Bosun server would. */
export class MemoryAccount implements AccountPort {
  checkResult: SessionCheck = { ok: true };
  revoked: string[] = [];
  constructor(
    private readonly users: Record<string, { password: string; orgs: string[] }>,
    private readonly registryHosts = ['127.0.0.1:5000'],
  ) {}
  async signIn(username: string, secret: string, allowedOrgs: string[], org?: string) {
    const u = this.users[username];
    if (!u || u.password !== secret) throw new Error('Incorrect username or password.');
    const qualifying = u.orgs.filter((o) => allowedOrgs.includes(o));
    if (!qualifying.length) throw new Error(`${username} is not a member of ${allowedOrgs.join(' or ')}.`);
    const chosen = org ?? (qualifying.length === 1 ? qualifying[0] : undefined);
    if (!chosen) return { kind: 'pick-org' as const, orgs: qualifying };
    return {
      kind: 'signed-in' as const,
      identity: { kind: 'refresh' as const, secret: `rt-${username}-${chosen}`, session: { server: 'mem://server', user: username, org: chosen } },
    };
  }
  async check(): Promise<SessionCheck> {
    return this.checkResult;
  }
  async revoke(identity: StoredIdentity) {
    this.revoked.push(identity.secret);
  }
  async registries() {
    return [...this.registryHosts];
  }
}
