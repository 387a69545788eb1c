export async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'generate') return (await import('./policyGenerate.js')).run(argv.slice(1)); // packaging: temporary until the subcommand table lands
  console.error('bosun policy: not built yet');
  return 1;
}
