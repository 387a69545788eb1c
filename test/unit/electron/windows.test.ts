import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowManager, type BrowserWindowLike, type CreateWindow } from '../../../electron/windows.js';

class FakeWindow implements BrowserWindowLike {
  static nextId = 1;
  loaded = '';
  shown = 0;
  closed = false;
  sent: [string, unknown][] = [];
  private closedListeners: (() => void)[] = [];
  private readyListeners: (() => void)[] = [];
  webContents = { id: FakeWindow.nextId++, send: (c: string, p: unknown) => void this.sent.push([c, p]) };
  constructor(readonly options: Parameters<CreateWindow>[0]) {}
  async loadFile(path: string) {
    this.loaded = path;
    for (const l of this.readyListeners) l();
  }
  show() {
    this.shown++;
  }
  focus() {}
  close() {
    this.closed = true;
    for (const l of this.closedListeners) l();
  }
  isDestroyed() {
    return this.closed;
  }
  once(_e: 'ready-to-show', l: () => void) {
    this.readyListeners.push(l);
  }
  on(_e: 'closed', l: () => void) {
    this.closedListeners.push(l);
  }
}

test('windows: secure preferences and the preload, one per page, reused while open, closed by their sender', () => {
  const made: FakeWindow[] = [];
  const wm = new WindowManager(
    (o) => {
      const w = new FakeWindow(o);
      made.push(w);
      return w;
    },
    '/app/ui',
    '/app/electron/preload.cjs',
  );
  wm.show('signin');
  wm.show('signin');
  assert.equal(made.length, 1, 'a second Sign in… focuses the open window');
  const w = made[0]!;
  assert.equal(w.loaded, '/app/ui/signin.html');
  assert.equal(w.options.show, false, 'shown only when ready, no white flash');
  assert.equal(w.shown, 2);
  assert.deepEqual(
    {
      contextIsolation: w.options.webPreferences.contextIsolation,
      sandbox: w.options.webPreferences.sandbox,
      nodeIntegration: w.options.webPreferences.nodeIntegration,
      preload: w.options.webPreferences.preload,
    },
    { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/app/electron/preload.cjs' },
  );
  wm.show('about');
  wm.broadcast('status:changed', { state: 'signed-out' });
  assert.deepEqual(
    made.map((m) => m.sent.length),
    [1, 1],
  );
  wm.closeBySender(w.webContents.id);
  assert.equal(w.closed, true);
  assert.equal(made[1]!.closed, false);
  wm.show('signin');
  assert.equal(made.length, 3, 'a closed window is created again');
  wm.closeAll();
  assert.ok(made.every((m) => m.closed));
});
