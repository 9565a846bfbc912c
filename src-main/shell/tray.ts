import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { Status } from '../../src-shared/contract';
import { tradingMode } from '../../src-shared/trading-mode';

export interface TrayActions {
  show(): void;
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  quit(): void;
}

/** A 32×32 teal disc drawn in memory, for when the icon file is not where the app expected it. */
function drawnIcon(): NativeImage {
  const size = 32;
  const pixels = Buffer.alloc(size * size * 4); // BGRA
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - 15.5, y - 15.5);
      if (d > 14) continue;
      pixels.set([0xa8, 0xc2, 0x26, 0xff], (y * size + x) * 4);
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}

/** The tray icon: state at a glance and the lifecycle controls without opening the window. */
export function createTray(iconPath: string | undefined, actions: TrayActions): { update(status: Status): void; destroy(): void } {
  const fromFile = iconPath ? nativeImage.createFromPath(iconPath) : null;
  const tray = new Tray(fromFile && !fromFile.isEmpty() ? fromFile : drawnIcon());
  const update = (status: Status) => {
    const state = status.state;
    const mode = tradingMode(status).label;
    tray.setToolTip(`BotDesk · ${mode} · ${status.symbol} · ${state}`);
    tray.setContextMenu(Menu.buildFromTemplate([
      { label: `${mode} · ${status.symbol} · ${state}`, enabled: false },
      { type: 'separator' },
      { label: 'Show dashboard', click: actions.show },
      { label: 'Start', enabled: state === 'stopped', click: actions.start },
      state === 'paused' ? { label: 'Resume entries', click: actions.resume } : { label: 'Pause entries', enabled: state === 'running', click: actions.pause },
      { label: 'Stop', enabled: state !== 'stopped', click: actions.stop },
      { type: 'separator' },
      { label: 'Quit BotDesk', click: actions.quit },
    ]));
  };
  tray.on('click', actions.show);
  return { update, destroy: () => tray.destroy() };
}
