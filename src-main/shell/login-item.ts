/**
 * Launch at login through the OS: login items on macOS and Windows (Electron's API), an autostart entry on Linux
 * (Electron has no API there; app/linux-autostart.ts writes the freedesktop file).
 */
import { app } from 'electron';
import { setLinuxAutostart } from '../desktop/linux-autostart';

export function applyLaunchAtLogin(on: boolean): void {
  if (process.platform === 'linux') {
    // an AppImage moves its mounted binary each run: its own path is the stable one
    const binary = process.env.APPIMAGE ?? process.execPath;
    setLinuxAutostart({ on, command: app.isPackaged ? [binary] : [binary, app.getAppPath()] });
    return;
  }
  app.setLoginItemSettings({ openAtLogin: on });
  if (app.getLoginItemSettings().openAtLogin !== on) throw new Error('the system did not accept the change');
}
