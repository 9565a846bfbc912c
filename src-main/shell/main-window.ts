import { BrowserWindow, shell } from 'electron';
import { pathToFileURL } from 'node:url';

export interface MainWindowOptions {
  preload: string;
  indexHtml: string;
}

/** The app's own page: the one URL the window may show and the only frame IPC answers. */
export const appPageUrl = (indexHtml: string): string => pathToFileURL(indexHtml).href;

/**
 * The dashboard window, hardened to Electron's security checklist: sandboxed renderer with context isolation and no
 * Node, web security on, no navigation away from the app's page, no new windows (https links go to the browser).
 */
export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 420,
    minHeight: 500,
    show: false,
    backgroundColor: '#0b0e14',
    title: 'BotDesk',
    webPreferences: {
      preload: o.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const own = appPageUrl(o.indexHtml);
  win.webContents.on('will-navigate', (event, url) => {
    if (url.split('#')[0] !== own) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(o.indexHtml);
  return win;
}
