/**
 * Where the fleet is remembered: the list of remote bots in `<dataDir>/fleet.json`, their tokens apart from it in a
 * TokenVault (headless: `<dataDir>/fleet-tokens.json`, mode 0600; desktop: the same encrypted by safeStorage).
 */
import { chmodSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { writeFileAtomic } from '../operations/atomic-file';
import { join } from 'node:path';
import { z } from 'zod';
import { FleetBotIdSchema, FleetLinkSchema } from '../../src-shared/contract';

/** Secrets by bot id. Implementations keep them out of logs and out of fleet.json. */
export interface TokenVault {
  get(id: string): string | undefined;
  set(id: string, token: string): void;
  delete(id: string): void;
}

const StoredBotSchema = z.object({
  id: FleetBotIdSchema,
  name: z.string(),
  url: z.string(),
  link: FleetLinkSchema.exclude(['local']),
  added_at: z.number(),
});
export type StoredBot = z.infer<typeof StoredBotSchema>;
const FleetFileSchema = z.object({ version: z.literal(1), local_name: z.string().optional(), bots: z.array(StoredBotSchema) });
export type FleetFile = z.infer<typeof FleetFileSchema>;

export class FleetStore {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'fleet.json');
  }

  load(): FleetFile {
    if (!existsSync(this.path)) return { version: 1, bots: [] };
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      raw = null;
    }
    const parsed = FleetFileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${this.path} is not a fleet list BotDesk wrote; move it away to start with an empty fleet`);
    return parsed.data;
  }

  /** moves an unreadable list out of the way (kept for a person to look at); returns where it went */
  setAside(): string {
    const aside = `${this.path}.unreadable-${Date.now()}`;
    renameSync(this.path, aside);
    return aside;
  }

  save(file: FleetFile): void {
    writeFileAtomic(this.path, JSON.stringify(file, null, 2) + '\n', 0o644);
  }
}

/** Encryption by the OS keychain (the desktop app's safeStorage); the file store holds only what it returns. */
export interface TokenCipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/**
 * A file only the owner can read, rewritten whole on every change: plain JSON on a headless server
 * (`fleet-tokens.json`), encrypted by the OS keychain in the desktop app (`fleet-tokens.enc`).
 */
export class FileTokenVault implements TokenVault {
  private readonly path: string;
  private readonly tokens: Record<string, string>;

  constructor(
    dataDir: string,
    private readonly cipher?: TokenCipher,
  ) {
    this.path = join(dataDir, cipher ? 'fleet-tokens.enc' : 'fleet-tokens.json');
    this.tokens = {};
    if (!existsSync(this.path)) return;
    // a file someone loosened is tightened again rather than trusted as is
    chmodSync(this.path, 0o600);
    try {
      const bytes = readFileSync(this.path);
      const text = cipher ? cipher.decrypt(bytes) : bytes.toString('utf8');
      this.tokens = z.record(z.string(), z.string()).parse(JSON.parse(text));
    } catch {
      // unreadable: kept aside (still 0600) and the bots it served are asked for their tokens again
      renameSync(this.path, `${this.path}.unreadable-${Date.now()}`);
    }
  }

  get(id: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.tokens, id) ? this.tokens[id] : undefined;
  }

  set(id: string, token: string): void {
    this.tokens[id] = token;
    this.flush();
  }

  delete(id: string): void {
    if (!(id in this.tokens)) return;
    delete this.tokens[id];
    this.flush();
  }

  private flush(): void {
    const text = JSON.stringify(this.tokens) + '\n';
    writeFileAtomic(this.path, this.cipher ? this.cipher.encrypt(text) : text, 0o600);
  }
}
