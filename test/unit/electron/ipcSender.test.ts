// Who may call the main process: only a frame showing one of the app's own pages, i.e. a file inside
// the ui directory the WindowManager loads from. Runs the real TypedIpcMain over the fake ipcMain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appPageSender, TypedIpcMain, type IpcSenderEvent } from '../../../electron/ipcMain.js';
import { WindowManager, type BrowserWindowLike } from '../../../electron/windows.js';
import { FAKE_UI_DIR, FakeIpcMain, memoryLog } from '../../helpers/fakeElectron.js';

/** The URL of a page as the app's WindowManager loads it (loadFile of a path in the ui directory). */
function loadedPageUrl(uiDir: string): string {
  let loaded = '';
  const win: BrowserWindowLike = {
    loadFile: async (p) => void (loaded = p),
    show() {},
    focus() {},
    close() {},
    isDestroyed: () => false,
    once() {},
    on() {},
    webContents: { id: 1, send() {} },
  };
  new WindowManager(() => win, uiDir, join(uiDir, '..', 'preload.cjs')).show('signin');
  return pathToFileURL(loaded).href;
}

function wired() {
  const ipcMain = new FakeIpcMain();
  const log = memoryLog();
  let calls = 0;
  const ipc = new TypedIpcMain(ipcMain, log, appPageSender(FAKE_UI_DIR));
  ipc.handle('about:get', () => {
    calls++;
    return { version: '1.0.0' } as never;
  });
  const h = ipcMain.handlers.get('about:get')!;
  const from = async (frame: IpcSenderEvent['senderFrame']) =>
    (await h({ sender: { id: 3 }, ...(frame === undefined ? {} : { senderFrame: frame }) }, null)) as { result?: unknown; error?: { message: string } };
  return { from, calls: () => calls, log };
}

test('a page the app loaded from its ui directory may call', async () => {
  const w = wired();
  const env = await w.from({ url: loadedPageUrl(FAKE_UI_DIR) });
  assert.equal(env.error, undefined);
  assert.equal(w.calls(), 1);
});

test('a call without a sender frame (navigated away or destroyed) is refused', async () => {
  for (const frame of [undefined, null, { url: '' }]) {
    const w = wired();
    const env = await w.from(frame);
    assert.match(env.error?.message ?? '', /refused a call from a frame Electron no longer reports/, `frame ${JSON.stringify(frame)}`);
    assert.equal(w.calls(), 0, `the handler ran for frame ${JSON.stringify(frame)}`);
  }
});

test('a file:// page outside the app’s ui directory is refused', async () => {
  for (const url of [
    'file:///home/user/Downloads/evil.html',
    'file:///app/dist/ui-evil/signin.html', // a sibling whose name starts like the ui directory
    'file:///app/dist/ui/../../../tmp/evil.html', // climbs out of the directory
    'file:///app/dist/ui%2F..%2Fevil.html',
    'file://attacker.example/app/dist/ui/signin.html', // a UNC-style remote file host
    'https://evil.example/app/dist/ui/signin.html',
    'not a url',
  ]) {
    const w = wired();
    const env = await w.from({ url });
    assert.match(env.error?.message ?? '', /refused a call from/, url);
    assert.equal(w.calls(), 0, `the handler ran for ${url}`);
  }
});
