// Thin adapters over the OS tools for the native policy sources. They only run on their own OS;
// everything they print is judged by the pure parsers in src/core/workstationPolicy/nativeSources.ts.
import { execFile } from 'node:child_process';
import { parseDesktopPlist, parseManagedPreferences, parseRegQueryAllowedOrgs, type NativeSourceResult } from '../../core/workstationPolicy/nativeSources.js';

interface ToolOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function runTool(cmd: string, args: string[]): Promise<ToolOutput> {
  return new Promise((res) => {
    execFile(cmd, args, { timeout: 10_000, windowsHide: true, maxBuffer: 2 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      res({ stdout: String(stdout), stderr: String(stderr) || (err && !stderr ? err.message : ''), exitCode: code });
    });
  });
}

export async function readWindowsRegistryPolicy(key: string): Promise<NativeSourceResult> {
  if (process.platform !== 'win32') return { present: false, note: 'the Windows registry exists only on Windows' };
  return parseRegQueryAllowedOrgs(await runTool('reg', ['query', key, '/v', 'allowedOrgs']));
}

async function plutilJson(file: string): Promise<ToolOutput> {
  return runTool('/usr/bin/plutil', ['-convert', 'json', '-o', '-', file]);
}

export async function readMacProfilePolicy(file: string): Promise<NativeSourceResult> {
  if (process.platform !== 'darwin') return { present: false, note: 'managed preferences exist only on macOS' };
  return parseManagedPreferences(await plutilJson(file), file);
}

export async function readMacDesktopPlistPolicy(file: string): Promise<NativeSourceResult> {
  if (process.platform !== 'darwin') return { present: false, note: 'desktop.plist is read only on macOS' };
  return parseDesktopPlist(await plutilJson(file), file);
}
