// build/windows/installer.nsh compiles with NSIS (Debian's makensis, warnings as errors) in the
// context electron-builder gives it: LogicLib loaded, APP_EXECUTABLE_FILENAME defined, customInstall
// in an install section and customUnInstall in the uninstaller. It cannot run here (no Windows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/common/packageRoot.js';
import { makeSandbox } from '../../helpers/sandbox.js';

const makensis = spawnSync('makensis', ['-VERSION'], { encoding: 'utf8' });
const skip = makensis.status === 0 ? false : 'makensis is not installed (Debian package nsis); the release workflow builds the real installer on Windows';

test('installer.nsh compiles into an installer and uninstaller', { skip }, (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  const out = join(box.dir, 'probe.exe');
  const nsi = join(box.dir, 'probe.nsi');
  writeFileSync(
    nsi,
    [
      'Unicode true',
      '!include LogicLib.nsh',
      '!define APP_EXECUTABLE_FILENAME "Bosun.exe"',
      `!include "${join(packageRoot(), 'build/windows/installer.nsh')}"`,
      'Name "Bosun probe"',
      `OutFile "${out}"`,
      'RequestExecutionLevel admin',
      'InstallDir "$PROGRAMFILES64\\Bosun"',
      'Section "install"',
      '  !insertmacro customInstall',
      '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
      'SectionEnd',
      'Section "uninstall"',
      '  !insertmacro customUnInstall',
      'SectionEnd',
      '',
    ].join('\n'),
  );
  const r = spawnSync('makensis', ['-V2', '-WX', nsi], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.ok(existsSync(out));
});
