// The `bosun` commands, one line each; each module is loaded only when its command runs.
import type { CommandGroup } from './commandTable.js';

export const bosunCommands: CommandGroup = {
  name: 'bosun',
  noun: 'command',
  footer: 'Run `bosun <command> --help` for details; `bosun --version` prints the version.',
  commands: [
    { name: 'agent', usage: '', summary: 'run the agent headless in the foreground', run: async (argv) => (await import('./commands/agent.js')).run(argv) },
    { name: 'login', usage: '[options]', summary: 'sign in to your organization', run: async (argv) => (await import('./commands/login.js')).run(argv) },
    { name: 'logout', usage: '', summary: 'sign out', run: async (argv) => (await import('./commands/logout.js')).run(argv) },
    {
      name: 'status',
      usage: '[--json] [--check]',
      summary: 'show whether you are signed in, and to which organization',
      run: async (argv) => (await import('./commands/status.js')).run(argv),
    },
    {
      name: 'doctor',
      usage: '[--json]',
      summary: 'check Bosun on this machine and say what to fix',
      run: async (argv) => (await import('./commands/doctor.js')).run(argv),
    },
    { name: 'logs', usage: '[options]', summary: "print the agent's log", run: async (argv) => (await import('./commands/logs.js')).run(argv) },
    {
      name: 'policy',
      usage: '<subcommand>',
      summary: 'check and show the allowedOrgs policy',
      run: async (argv) => (await import('./commands/policy.js')).run(argv),
    },
    {
      name: 'server',
      usage: '<subcommand>',
      summary: 'run the Bosun server (start) or make its directory match a file (apply)',
      run: async (argv) => (await import('./commands/server.js')).run(argv),
    },
    {
      name: 'uninstall-config',
      usage: '',
      summary: "remove Bosun's entries from Docker's config.json",
      run: async (argv) => (await import('./commands/uninstallConfig.js')).run(argv),
    },
  ],
};
