import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type LiveLimitsPatch, type Settings, type SettingsPatch } from '../../src-shared/contract';
import { writeFileAtomic } from '../operations/atomic-file';

export const SETTINGS_FILE = 'settings.json';

export type SettingsListener = (next: Settings, previous: Settings) => void;

/**
 * The app settings in `<dataDir>/settings.json` (no electron here: the tray, the desktop shell and the API read
 * them through `get()` and `onChange`). A file that cannot be read or fails validation never stops the app: every
 * field it got right is kept, the rest fall back to their defaults, and `warning` says what happened.
 */
export class SettingsStore {
  readonly file: string;
  readonly warning: string | null;
  private current: Settings;
  private readonly listeners = new Set<SettingsListener>();
  /** one change at a time: a check that awaits (port probe) cannot interleave with another change */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: { dataDir: string; onWarning?: (message: string) => void }) {
    this.file = join(opts.dataDir, SETTINGS_FILE);
    const { settings, warning } = readSettingsFile(this.file);
    this.current = settings;
    this.warning = warning;
    if (warning) opts.onWarning?.(warning);
  }

  /** a copy: callers cannot change the stored settings by accident */
  get(): Settings {
    return structuredClone(this.current);
  }

  /** returns an unsubscribe function; listeners run after the new settings are on disk */
  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies a partial change whole or not at all: `beforeWrite` (checks, or effects outside the file such as the
   * login item) may throw to refuse it, and nothing is written then; a failed write leaves the file and memory as
   * they were.
   */
  update(
    patch: SettingsPatch & { live_limits?: LiveLimitsPatch },
    beforeWrite?: (next: Settings, previous: Settings) => void | Promise<void>,
  ): Promise<Settings> {
    const run = this.queue.then(async () => {
      const previous = this.current;
      const next = SettingsSchema.parse({
        ...previous,
        ...dropUndefined(patch),
        notifications: { ...previous.notifications, ...dropUndefined(patch.notifications ?? {}) },
        live_limits: { ...previous.live_limits, ...dropUndefined(patch.live_limits ?? {}) },
      });
      await beforeWrite?.(next, previous);
      mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
      writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n', 0o600);
      this.current = next;
      for (const l of [...this.listeners]) {
        try {
          l(structuredClone(next), structuredClone(previous));
        } catch {
          // a listener's failure (a tray that is gone) must not turn a saved change into an error
        }
      }
      return this.get();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

const dropUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** the settings in the file, field by field: each field that fails its schema is replaced by its default */
export function readSettingsFile(file: string): { settings: Settings; warning: string | null } {
  const defaults = structuredClone(DEFAULT_SETTINGS);
  if (!existsSync(file)) return { settings: defaults, warning: null };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? 'not JSON';
    return { settings: defaults, warning: `${file} could not be read (${why}); using the default settings until they are saved again.` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      settings: defaults,
      warning: `${file} does not hold a settings object; using the default settings until they are saved again.`,
    };
  }
  const settings = defaults as Record<string, unknown>;
  const bad: string[] = [];
  const shape = SettingsSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
  for (const [key, value] of Object.entries(raw)) {
    const schema = shape[key];
    if (!schema) continue; // a field from a newer version: ignored, not an error
    // the objects' fields added in later versions take their defaults
    const nested = key === 'notifications' || key === 'live_limits';
    const r = nested ? SettingsSchema.shape[key].partial().safeParse(value) : schema.safeParse(value);
    if (!r.success) bad.push(key);
    else settings[key] = nested ? { ...DEFAULT_SETTINGS[key], ...(r.data as object) } : r.data;
  }
  const warning = bad.length
    ? `${file} has invalid ${bad.join(', ')}; the default is used for ${bad.length > 1 ? 'them' : 'it'} until the settings are saved again.`
    : null;
  return { settings: settings as Settings, warning };
}
