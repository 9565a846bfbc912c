/** Launch at login through the OS (login items on macOS, the Run key on Windows; Linux has no Electron API). */
import { app } from 'electron';

export function applyLaunchAtLogin(on: boolean): void {
  if (process.platform === 'linux') {
    // an autostart .desktop entry would be ours to write and keep in step with the install location; refused for now
    if (on) throw new Error('launch at login is not supported on Linux yet; add BotDesk to your desktop\'s autostart programs');
    return;
  }
  app.setLoginItemSettings({ openAtLogin: on });
  if (app.getLoginItemSettings().openAtLogin !== on) throw new Error('the system did not accept the change');
}
