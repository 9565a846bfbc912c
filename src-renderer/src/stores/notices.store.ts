import { createStore } from 'zustand/vanilla';

export interface Notice {
  id: number;
  kind: 'error' | 'warn' | 'info';
  text: string;
}

export interface NoticesState {
  notices: Notice[];
  push(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

const SHOWN_MS = 8000;
const MAX_SHOWN = 4;

/** Short-lived messages: failed actions, bot errors. */
export function createNoticesStore() {
  let nextId = 1;
  return createStore<NoticesState>()((set, get) => ({
    notices: [],
    push(kind, text) {
      const id = nextId++;
      set({ notices: [...get().notices, { id, kind, text }].slice(-MAX_SHOWN) });
      setTimeout(() => get().dismiss(id), SHOWN_MS);
    },
    dismiss(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },
  }));
}
export type NoticesStore = ReturnType<typeof createNoticesStore>;
