// Launch at login on Linux: the freedesktop autostart entry is written with a quoted command and removed again.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartFile, isLinuxAutostartOn, setLinuxAutostart } from '../../src-main/desktop/linux-autostart';

describe('linux autostart entry', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'botdesk-autostart-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('lives under XDG_CONFIG_HOME/autostart, launches the app with its arguments quoted, and goes away when off', () => {
    const file = autostartFile({ XDG_CONFIG_HOME: home });
    expect(file).toBe(join(home, 'autostart', 'botdesk.desktop'));
    setLinuxAutostart({ on: true, command: ['/opt/Bot Desk/botdesk', '/home/me/app "x" $HOME 100%'], file });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\[Desktop Entry\]\nType=Application\nName=BotDesk\n/);
    // the Desktop Entry spec reads the value as a string (\\ → \) before quoting (\" → "): each escape is written twice
    expect(text).toContain('Exec="/opt/Bot Desk/botdesk" "/home/me/app \\\\"x\\\\" \\\\$HOME 100%%"\n');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(isLinuxAutostartOn(file)).toBe(true);
    setLinuxAutostart({ on: false, command: [], file });
    expect(isLinuxAutostartOn(file)).toBe(false);
    setLinuxAutostart({ on: false, command: [], file });
  });
});
