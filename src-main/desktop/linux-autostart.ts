import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../operations/atomic-file';

/** `$XDG_CONFIG_HOME/autostart/botdesk.desktop`: the freedesktop way to start a program at login (GNOME, KDE, XFCE…). */
export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(configHome, 'autostart', 'botdesk.desktop');
}

/** an Exec argument quoted as the Desktop Entry spec asks: in double quotes, with " ` $ \ escaped */
const quoteArg = (arg: string) => (/^[\w./@:+-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`);

/** Writes (or removes) the autostart entry that launches `command` at login. */
export function setLinuxAutostart(o: { on: boolean; command: string[]; file?: string }): void {
  const file = o.file ?? autostartFile();
  if (!o.on) {
    if (existsSync(file)) rmSync(file);
    return;
  }
  mkdirSync(join(file, '..'), { recursive: true });
  const entry = [
    '[Desktop Entry]',
    'Type=Application',
    'Name=BotDesk',
    'Comment=Trading bot control room',
    // the value is read as a string first (\\ → \), then quoted: each backslash the quoting wrote is doubled once
    // more; % is reserved for field codes, so a literal one is doubled too
    `Exec=${o.command.map(quoteArg).join(' ').replace(/\\/g, '\\\\').replace(/%/g, '%%')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
  writeFileAtomic(file, entry, 0o644);
}

export const isLinuxAutostartOn = (file = autostartFile()): boolean => existsSync(file);
