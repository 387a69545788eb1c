// The tray as one class (like Podman Desktop's tray-menu.ts, Rancher Desktop's main/tray.ts):
// dependencies arrive in the constructor, the menu is the declarative model from trayModel.ts,
// each state has its icon (template images on macOS), and dispose() removes every listener.
import type { AgentCore } from '../src/agent/core.js';
import type { AgentSnapshot } from '../src/core/agent/agentState.js';
import { trayModel, type TrayIconState, type TrayItemId, type TrayModel } from './trayModel.js';

export interface MenuItemTemplate {
  id?: string;
  label?: string;
  enabled?: boolean;
  type?: 'separator' | 'normal';
  click?: () => void;
}
/** The parts of Electron's Tray, Menu and nativeImage the tray uses (faked in unit tests). */
export interface TrayElectron {
  createTray(iconPath: string): TrayLike;
  buildMenu(template: MenuItemTemplate[]): unknown;
  /** macOS: mark the icon as a template image so it follows the menu bar's appearance. */
  platform: NodeJS.Platform;
}
export interface TrayLike {
  setImage(iconPath: string): void;
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  destroy(): void;
}

export type TrayActions = Record<Exclude<TrayItemId, 'status' | 'detail'>, () => void>;

/** The icon file for a state. macOS loads `…Template.png` (and `@2x`) as a template image by its name. */
export function trayIconFile(dir: string, state: TrayIconState, platform: NodeJS.Platform): string {
  return `${dir}/tray-${state}${platform === 'darwin' ? 'Template' : ''}.png`;
}

export class BosunTray {
  private tray: TrayLike | undefined;
  private readonly unsubscribe: () => void;
  private current: TrayModel | undefined;

  constructor(
    private readonly electron: TrayElectron,
    private readonly core: Pick<AgentCore, 'bus' | 'state'>,
    private readonly actions: TrayActions,
    private readonly iconDir: string,
  ) {
    this.unsubscribe = core.bus.on('state', (s) => this.render(s));
    this.render(core.state);
  }

  /** The model last rendered (what the user sees). */
  get model(): TrayModel | undefined {
    return this.current;
  }

  private render(snapshot: AgentSnapshot): void {
    const model = trayModel(snapshot);
    const icon = trayIconFile(this.iconDir, model.icon, this.electron.platform);
    if (!this.tray) this.tray = this.electron.createTray(icon);
    else if (model.icon !== this.current?.icon) this.tray.setImage(icon);
    this.tray.setToolTip(model.tooltip);
    const template: MenuItemTemplate[] = [];
    for (const item of model.items) {
      if (item.separatorBefore) template.push({ type: 'separator' });
      const action = item.id === 'status' || item.id === 'detail' ? undefined : this.actions[item.id];
      template.push({ id: item.id, label: item.label, enabled: item.enabled, ...(action ? { click: action } : {}) });
    }
    this.tray.setContextMenu(this.electron.buildMenu(template));
    this.current = model;
  }

  dispose(): void {
    this.unsubscribe();
    this.tray?.destroy();
    this.tray = undefined;
  }
}
