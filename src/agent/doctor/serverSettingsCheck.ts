// `bosun doctor`: reads the Bosun server's discovery document for the enforcement settings a
// developer cannot see elsewhere (src/core/doctor/serverSettingsChecks.ts decides what they mean).
import type { AdminSettingsReport } from '../../platform/workstationPolicy/readAdminSettings.js';
import type { DoctorCheck } from '../../core/doctor/doctorReport.js';
import { anonymousPullDoctorCheck, type DiscoveredServerSettings } from '../../core/doctor/serverSettingsChecks.js';

/** Undefined in Docker Hub mode, without settings, or when the server cannot be read (the server check reports that). */
export async function anonymousPullCheck(report: AdminSettingsReport, timeoutMs = 5000): Promise<DoctorCheck | undefined> {
  const s = report.settings;
  if (!s || s.hubMode) return undefined;
  try {
    const res = await fetch(new URL('/.well-known/bosun', s.server), { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    if (res.status !== 200) return undefined;
    return anonymousPullDoctorCheck(s.server, (await res.json()) as DiscoveredServerSettings);
  } catch {
    return undefined;
  }
}
