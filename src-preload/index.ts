/**
 * The preload: the only bridge between the sandboxed dashboard and the main process. It exposes `window.botdesk`,
 * a small typed API (call an operation by name, subscribe to events), never ipcRenderer or anything of Node.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BotDeskBridge, BridgeSubscribeOptions } from '../src-shared/contract/bridge';
import type { BotEvent } from '../src-shared/contract/events';

// the channel names are repeated here rather than imported, so the sandboxed preload bundles nothing but this file
const CHANNELS = {
  call: 'botdesk:call',
  subscribe: 'botdesk:subscribe',
  unsubscribe: 'botdesk:unsubscribe',
  event: 'botdesk:event',
} as const;

type Listener = (event: BotEvent) => void;
const listeners = new Map<string, Listener>();
let nextKey = 1;

ipcRenderer.on(CHANNELS.event, (_e: IpcRendererEvent, message: { key: string; json: string }) => {
  const listener = listeners.get(message?.key);
  if (listener) listener(JSON.parse(message.json) as BotEvent);
});

const bridge: BotDeskBridge = Object.freeze({
  kind: 'ipc' as const,
  call: ((name: string, input?: unknown) => ipcRenderer.invoke(CHANNELS.call, name, input)) as BotDeskBridge['call'],
  subscribe(options: BridgeSubscribeOptions, listener: Listener): () => void {
    // the listener is in place before main replays anything for this key
    const key = `s${nextKey++}`;
    listeners.set(key, listener);
    const { types, since, feed } = options ?? {};
    ipcRenderer
      .invoke(CHANNELS.subscribe, {
        key,
        ...(types ? { types: [...types] } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(feed ? { feed } : {}),
      })
      .then((r: { ok: boolean; body?: { error?: string } }) => {
        if (r.ok) return;
        listeners.delete(key);
        console.warn(`botdesk: subscription refused: ${r.body?.error ?? 'unknown reason'}`);
      })
      .catch(() => listeners.delete(key));
    return () => {
      if (!listeners.delete(key)) return;
      ipcRenderer.invoke(CHANNELS.unsubscribe, key).catch(() => undefined);
    };
  },
});

contextBridge.exposeInMainWorld('botdesk', bridge);
