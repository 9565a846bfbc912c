import { Menu, Tray, nativeImage } from 'electron';
import type { Status } from '../../src-shared/contract';

export interface TrayActions {
  show(): void;
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  quit(): void;
}

/** The tray icon: state at a glance and the lifecycle controls without opening the window. */
export function createTray(iconPath: string, actions: TrayActions): { update(status: Status): void; destroy(): void } {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  const update = (status: Status) => {
    const state = status.state;
    tray.setToolTip(`BotDesk · ${status.mode.toUpperCase()} · ${status.symbol} · ${state}`);
    tray.setContextMenu(Menu.buildFromTemplate([
      { label: `${status.mode === 'live' ? 'LIVE' : 'Paper'} · ${status.symbol} · ${state}`, enabled: false },
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
