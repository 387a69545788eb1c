// `bosun doctor [--json]`: what is right and wrong with Bosun on this machine, and what to do.
import { parseCommandArgs } from '../commandArgs.js';
import { buildDoctorReport, renderDoctorReport } from '../../core/doctor/doctorReport.js';

const HELP = `Usage: bosun doctor [--json]

Checks the policy and its protection, Bosun's settings, the server, the agent, the OS keychain,
Docker's config.json, the credential helper on PATH and the Docker CLI, and says what each problem
means. Exit codes: 0 no problems; 1 at least one problem.`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ json?: boolean }>('doctor', argv, { json: { type: 'boolean' } }, HELP);
  if (!parsed.ok) return parsed.exitCode;
  const { values } = parsed;
  const { collectDoctorChecks } = await import('../../agent/doctor/collectChecks.js');
  const report = buildDoctorReport(await collectDoctorChecks(), new Date());
  console.log(values.json ? JSON.stringify(report, null, 2) : renderDoctorReport(report));
  return report.healthy ? 0 : 1;
}
