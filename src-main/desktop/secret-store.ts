import { existsSync, readFileSync, rmSync, statSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../operations/atomic-file';

export const EXCHANGE_KEYS_FILE = 'exchange-keys.enc';

/** How stored secrets are protected: the OS keychain, or (Linux without a keyring) a key every install shares. */
export type KeyProtection = 'keychain' | 'basic_text';

/**
 * The encrypt/decrypt pair a secret store is built on (Electron's safeStorage in the desktop app). Both may throw:
 * a keychain can refuse, be locked, or be missing.
 */
export interface KeyCipher {
  /** null when encryption works here, else why not (one sentence) */
  unavailable(): string | null;
  protection(): KeyProtection;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export interface StoredExchangeKeys {
  exchange: string;
  apiKey: string;
  secret: string;
}

/** What can be said about stored keys without decrypting them. */
export interface StoredKeysSummary {
  exchange: string;
  key_last4: string;
}

/** Exchange credentials kept encrypted at rest; decrypted only in the main process that holds this object. */
export interface SecretStore {
  readonly cipher: KeyCipher;
  summary(): StoredKeysSummary | null;
  /** decrypts; throws when the file is damaged or the keychain refuses */
  load(): StoredExchangeKeys | null;
  /** encrypts first, then replaces the file: on any failure the previous keys stay as they were */
  save(keys: StoredExchangeKeys): StoredKeysSummary;
  remove(): boolean;
}

const EnvelopeSchema = z.object({
  version: z.literal(1),
  exchange: z.string(),
  key_last4: z.string().max(4),
  ciphertext: z.string().min(1),
});
const PlainSchema = z.object({ apiKey: z.string(), secret: z.string() });

/**
 * `<dataDir>/exchange-keys.enc` (mode 0600): the exchange and the API key's last four characters in clear (to show
 * "stored" without asking the keychain), the keys themselves only as the cipher's ciphertext.
 */
export class FileSecretStore implements SecretStore {
  readonly file: string;

  constructor(
    dataDir: string,
    readonly cipher: KeyCipher,
  ) {
    this.file = join(dataDir, EXCHANGE_KEYS_FILE);
  }

  summary(): StoredKeysSummary | null {
    const env = this.envelope();
    return env ? { exchange: env.exchange, key_last4: env.key_last4 } : null;
  }

  load(): StoredExchangeKeys | null {
    const env = this.envelope();
    if (!env) return null;
    const text = this.cipher.decrypt(Buffer.from(env.ciphertext, 'base64'));
    let plain: ReturnType<typeof PlainSchema.safeParse> | null = null;
    try {
      plain = PlainSchema.safeParse(JSON.parse(text));
    } catch {
      // JSON.parse quotes the text it choked on: its message must not travel
    }
    if (!plain?.success) throw new Error(`${this.file} does not decrypt to exchange keys; save them again`);
    return { exchange: env.exchange, ...plain.data };
  }

  save(keys: StoredExchangeKeys): StoredKeysSummary {
    const ciphertext = this.cipher.encrypt(JSON.stringify({ apiKey: keys.apiKey, secret: keys.secret }));
    const summary = { exchange: keys.exchange, key_last4: keys.apiKey.slice(-4) };
    writeFileAtomic(this.file, JSON.stringify({ version: 1, ...summary, ciphertext: ciphertext.toString('base64') }) + '\n', 0o600);
    return summary;
  }

  remove(): boolean {
    if (!existsSync(this.file)) return false;
    rmSync(this.file);
    return true;
  }

  private envelope(): z.infer<typeof EnvelopeSchema> | null {
    if (!existsSync(this.file)) return null;
    // a copy restored from a backup may have lost its mode: tightened rather than left readable
    if (process.platform !== 'win32' && (statSync(this.file).mode & 0o077) !== 0) chmodSync(this.file, 0o600);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      throw new Error(`${this.file} is damaged; delete the stored keys and save them again`);
    }
    const env = EnvelopeSchema.safeParse(json);
    if (!env.success) throw new Error(`${this.file} is damaged; delete the stored keys and save them again`);
    return env.data;
  }
}
