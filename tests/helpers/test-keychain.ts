// A KeyCipher for tests under Node: real AES-256-GCM with a key held in memory (what safeStorage does with the OS
// keychain's key), and switches for the keychain's other answers: basic_text, unavailable, refusing.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyCipher, KeyProtection } from '../../src-main/desktop/secret-store';

export function testKeychain(
  o: { protection?: KeyProtection; unavailable?: string; refuse?: string } = {},
): KeyCipher & { refuse: string | null } {
  const key = randomBytes(32);
  const chain = {
    refuse: o.refuse ?? null,
    unavailable: () => o.unavailable ?? null,
    protection: () => o.protection ?? 'keychain',
    encrypt(plain: string): Buffer {
      if (chain.refuse) throw new Error(chain.refuse);
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(data: Buffer): string {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
  return chain;
}
