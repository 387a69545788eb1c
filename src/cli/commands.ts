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
  policy: { summary: 'check and show the allowedOrgs policy', load: () => import('./commands/policy.js') },
  server: { summary: 'run the Bosun server (start) or make its directory match a file (apply)', load: () => import('./commands/server.js') },
};
