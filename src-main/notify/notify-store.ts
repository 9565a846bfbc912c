/**
 * The desktop app's notification settings, `<dataDir>/notify-settings.enc` (mode 0600): the whole settings as the
 * OS keychain's ciphertext (Keychain, DPAPI, libsecret through safeStorage), like the exchange keys. The file holds
 * the Telegram token, webhook secrets and webhook URLs (Discord's and Slack's carry a token), so nothing is in clear.
 */
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { NotifyConfigSchema, type NotifyConfig } from '../../src-shared/contract';
import { writeFileAtomic } from '../operations/atomic-file';
import type { KeyCipher } from '../desktop/secret-store';

export const NOTIFY_SETTINGS_FILE = 'notify-settings.enc';
const EnvelopeSchema = z.object({ version: z.literal(1), ciphertext: z.string().min(1) });

export class NotifyStore {
  readonly file: string;

  constructor(
    dataDir: string,
    readonly cipher: KeyCipher,
  ) {
    this.file = join(dataDir, NOTIFY_SETTINGS_FILE);
  }

  /** null when nothing is stored; throws (one sentence, no secret) when the file is damaged or the keychain refuses */
  load(): NotifyConfig | null {
    if (!existsSync(this.file)) return null;
    if (process.platform !== 'win32' && (statSync(this.file).mode & 0o077) !== 0) chmodSync(this.file, 0o600);
    let envelope: z.infer<typeof EnvelopeSchema>;
    try {
      envelope = EnvelopeSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      throw new Error(`${this.file} is damaged; save the notification settings again`);
    }
    const text = this.cipher.decrypt(Buffer.from(envelope.ciphertext, 'base64'));
    let parsed: ReturnType<typeof NotifyConfigSchema.safeParse> | null = null;
    try {
      parsed = NotifyConfigSchema.safeParse(JSON.parse(text));
    } catch {
      // JSON.parse quotes what it choked on: never into a message
    }
    if (!parsed?.success) throw new Error(`${this.file} does not decrypt to notification settings; save them again`);
    return parsed.data;
  }

  /** encrypts first, then replaces the file: on any failure the stored settings stay as they were */
  save(config: NotifyConfig): void {
    const ciphertext = this.cipher.encrypt(JSON.stringify(config));
    writeFileAtomic(this.file, JSON.stringify({ version: 1, ciphertext: ciphertext.toString('base64') }) + '\n', 0o600);
  }
}
