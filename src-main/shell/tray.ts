/**
 * The tray icon, drawn from the tray model (desktop/tray-model.ts): this file only turns its data into Electron's Tray
 * and Menu. What is enabled when, the words, the confirmation text all live in the model, tested under Node.
 */
import { Menu, Notification, Tray, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { TrayIconState, TrayMenuItem, TrayView } from '../desktop/tray-model';
import type { TrayActionItem } from '../desktop/tray-actions';

/** status dot colours, RGB: green running, amber paused, grey stopped, red when the bot paused itself or needs a person */
const DOT: Record<TrayIconState, [number, number, number]> = {
  running: [0x22, 0xc5, 0x5e],
  paused: [0xf5, 0x9e, 0x0b],
  stopped: [0x9c, 0xa3, 0xaf],
  alert: [0xef, 0x44, 0x44],
};

/** A 32×32 dark disc, for when the icon file is not where the app expected it. */
function drawnBase(): NativeImage {
  const size = 32;
  const pixels = Buffer.alloc(size * size * 4); // BGRA
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (Math.hypot(x - 15.5, y - 15.5) <= 14) pixels.set([0x2a, 0x1e, 0x14, 0xff], (y * size + x) * 4);
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}

/** the base icon with a status dot in its lower right corner */
function withDot(base: NativeImage, state: TrayIconState): NativeImage {
  const { width, height } = base.getSize();
  const pixels = Buffer.from(base.toBitmap()); // BGRA
  const r = Math.max(3, Math.round(width * 0.2));
  const cx = width - r - 0.5;
  const cy = height - r - 0.5;
  const [red, green, blue] = DOT[state];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if (d <= r) pixels.set([blue, green, red, 0xff], (y * width + x) * 4);
      else if (d <= r + 1.2) pixels.set([0, 0, 0, 0xff], (y * width + x) * 4); // a rim so the dot shows on any bar
    }
  }
  return nativeImage.createFromBitmap(pixels, { width, height });
}

export interface DesktopTray {
  render(view: TrayView): void;
  /** a one-off message from the tray (Windows: its balloon; elsewhere a notification) */
  hint(title: string, body: string): void;
  destroy(): void;
}

export function createDesktopTray(o: { iconPath?: string; onClick(): void; onAction(item: TrayActionItem): void }): DesktopTray {
  const fromFile = o.iconPath ? nativeImage.createFromPath(o.iconPath) : null;
  const base = fromFile && !fromFile.isEmpty() ? fromFile : drawnBase();
  const icons = new Map<TrayIconState, NativeImage>();
  const icon = (state: TrayIconState) => icons.get(state) ?? icons.set(state, withDot(base, state)).get(state)!;
  const tray = new Tray(icon('stopped'));
  tray.on('click', o.onClick);

  let lastIcon: TrayIconState | null = null;
  let lastMenu = '';
  const toElectron = (item: TrayMenuItem): MenuItemConstructorOptions =>
    item.kind === 'separator'
      ? { type: 'separator' }
      : item.kind === 'info'
        ? { label: item.label, enabled: false }
        : { label: item.label, enabled: item.enabled, click: () => o.onAction(item) };

  return {
    render(view) {
      tray.setToolTip(view.tooltip);
      if (view.icon !== lastIcon) tray.setImage(icon(view.icon));
      lastIcon = view.icon;
      // rebuilding a native menu is not free, and an open menu flickers: only when it changed
      const menuKey = JSON.stringify(view.menu);
      if (menuKey !== lastMenu) tray.setContextMenu(Menu.buildFromTemplate(view.menu.map(toElectron)));
      lastMenu = menuKey;
    },
    hint(title, body) {
      if (process.platform === 'win32') tray.displayBalloon({ title, content: body, iconType: 'info' });
      else if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    destroy: () => tray.destroy(),
  };
}
