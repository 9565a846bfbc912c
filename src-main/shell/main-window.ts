import { BrowserWindow, shell } from 'electron';
import { pathToFileURL } from 'node:url';

export interface MainWindowOptions {
  preload: string;
  indexHtml: string;
}

/** The app's own page: the one URL the window may show and the only frame IPC answers. */
export const appPageUrl = (indexHtml: string): string => pathToFileURL(indexHtml).href;

/** `url` is the app's own page (a #fragment aside: the dashboard may route by hash). */
export const isAppPage = (url: string, own: string): boolean => url.split('#')[0] === own;

/** The CSP of the app's pages: only its own scripts; in the window it talks IPC, not HTTP. */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

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
      // a middle-click on a link would open a window through another path than window.open (electronegativity)
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const own = appPageUrl(o.indexHtml);
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppPage(url, own)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(o.indexHtml);
  return win;
}
