/** A subcommand module: `run` gets the arguments after the command name and returns the exit code. */
export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

export interface CommandEntry {
  summary: string;
  load(): Promise<CommandModule>;
}

/** Every `bosun` subcommand, one line each. */
export const commands: Record<string, CommandEntry> = {
  agent: { summary: 'run the agent headless in the foreground', load: () => import('./commands/agent.js') },
  login: { summary: 'sign in to your organization', load: () => import('./commands/login.js') },
  logout: { summary: 'sign out', load: () => import('./commands/logout.js') },
  status: { summary: 'show whether you are signed in, and to which organization', load: () => import('./commands/status.js') },
  doctor: { summary: 'check Bosun on this machine and say what to fix', load: () => import('./commands/doctor.js') },
  logs: { summary: "print the agent's log", load: () => import('./commands/logs.js') },
  policy: { summary: 'check and show the allowedOrgs policy', load: () => import('./commands/policy.js') },
  server: { summary: 'run the Bosun server (start) or make its directory match a file (apply)', load: () => import('./commands/server.js') },
  'uninstall-config': { summary: "remove Bosun's entries from Docker's config.json", load: () => import('./commands/uninstallConfig.js') },
};
