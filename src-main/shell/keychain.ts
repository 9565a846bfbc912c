/**
 * The OS keychain through Electron's safeStorage (Keychain on macOS, DPAPI on Windows, libsecret/KWallet on Linux):
 * the one place secrets meet Electron. Everything else sees the KeyCipher interface (app/secret-store.ts).
 * The synchronous calls are used on purpose: saving keys is one short call behind a button, and the store stays
 * the same plain interface the Node tests exercise.
 */
import { app, safeStorage } from 'electron';
import type { KeyCipher, KeyProtection } from '../desktop/secret-store';

export function safeStorageCipher(): KeyCipher {
  return {
    unavailable() {
      if (!app.isReady()) return 'the app is not ready yet';
      return safeStorage.isEncryptionAvailable() ? null : 'safeStorage reports that encryption is not available on this system';
    },
    // Linux without a keyring falls back to a key built into Chromium: it must be said, not hidden
    protection(): KeyProtection {
      return process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text' ? 'basic_text' : 'keychain';
    },
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}
