// `bosun doctor [--json]`: what is right and wrong with Bosun on this machine, and what to do.
import { parseArgs } from 'node:util';
import { buildDoctorReport, renderDoctorReport } from '../../policy/doctorReport.js';

const HELP = `Usage: bosun doctor [--json]

Checks the policy and its protection, Bosun's settings, the server, the agent, the OS keychain,
Docker's config.json, the credential helper on PATH and the Docker CLI, and says what each problem
means. Exit codes: 0 no problems; 1 at least one problem.`;

export async function run(argv: string[]): Promise<number> {
  let values: { json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    console.error(`bosun doctor: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const { collectDoctorChecks } = await import('../../agent/doctor/collectChecks.js');
  const report = buildDoctorReport(await collectDoctorChecks(), new Date());
  console.log(values.json ? JSON.stringify(report, null, 2) : renderDoctorReport(report));
  return report.healthy ? 0 : 1;
}
