// Helpers shared by the renderer pages. Pages talk to main only through `window.bosun`, the bridge
// the preload exposes (electron/bridge.ts); they have no Node API and never see a secret.
import type { BosunBridge } from '../../electron/bridge.js';
import type { StatusView } from '../../electron/ipcContract.js';

declare global {
  interface Window {
    bosun: BosunBridge;
  }
}

export function bridge(): BosunBridge {
  return window.bosun;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
}

/** Creates an element with text content (never innerHTML: server strings are data, not markup). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Renders the status block present on several pages (#headline, #detail, a data-state on <body>). */
export function renderStatus(s: StatusView): void {
  document.body.dataset.state = s.state;
  byId('headline').textContent = s.headline;
  const detail = byId('detail');
  detail.textContent = s.detail ?? '';
  detail.hidden = !s.detail;
  const warning = document.getElementById('policy-warning');
  if (warning) warning.hidden = !s.policyInsecure;
}

/** Wires every `[data-close]` button to close its window. */
export function wireClose(): void {
  document.querySelectorAll<HTMLButtonElement>('[data-close]').forEach((b) => {
    b.addEventListener('click', () => void bridge().app.closeWindow());
  });
}
