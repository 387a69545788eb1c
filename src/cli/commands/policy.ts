export async function run(_argv: string[]): Promise<number> {
  console.error('bosun policy: not built yet');
  return 1;
}
