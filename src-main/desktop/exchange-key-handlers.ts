import { ServiceError, type DeskOperationHandlers, type ExchangeKeysView } from '../../src-shared/contract';
import type { Logger } from '../engine/log/logger';
import { redact } from '../engine/log/redact';
import type { Audit } from '../operations/audit';
import { readExchangeKeys } from './exchange-keys';
import type { SecretStore } from './secret-store';

/** Where this process gets exchange keys: the desktop app's keychain store, or (headless) BOT_EXCHANGE_KEY_FILE only. */
export interface ExchangeKeySource {
  /** null headless: there is no keychain */
  secrets: SecretStore | null;
  /** BOT_EXCHANGE_KEY_FILE: wins over stored keys for live trading */
  keyFile?: string;
  /** BOT_EXCHANGE: the exchange saved keys belong to unless the request names one */
  exchange: string;
}

const HEADLESS_NOTE =
  'This server has no keychain: exchange keys come from BOT_EXCHANGE_KEY_FILE (a file with mode 0600) here; keys are saved in the app only by the desktop app.';

type KeyHandlers = Pick<DeskOperationHandlers, 'getExchangeKeys' | 'saveExchangeKeys' | 'deleteExchangeKeys'>;

/**
 * Exchange keys in the OS keychain (desktop app): saved encrypted, decrypted only in the main process, and never in
 * any answer, log line or event — only "stored" and the API key's last four characters.
 */
export function createExchangeKeyHandlers(src: ExchangeKeySource, logger: Logger, audit: Audit): KeyHandlers {
  const secrets = src.secrets;

  const fileView = (): ExchangeKeysView => {
    if (!src.keyFile) return { stored: false, exchange: null, key_last4: null, protection: 'file', editable: false, note: HEADLESS_NOTE };
    try {
      const k = readExchangeKeys(src.keyFile);
      return {
        stored: true,
        exchange: src.exchange,
        key_last4: k.apiKey.slice(-4),
        protection: 'file',
        editable: false,
        note: HEADLESS_NOTE,
      };
    } catch (e) {
      // the reason names the file and its mode, never the keys
      return {
        stored: false,
        exchange: null,
        key_last4: null,
        protection: 'file',
        editable: false,
        note: `${HEADLESS_NOTE} ${(e as Error).message}`,
      };
    }
  };

  const view = (): ExchangeKeysView => {
    if (!secrets) return fileView();
    const unavailable = secrets.cipher.unavailable();
    const protection = unavailable ? 'keychain' : secrets.cipher.protection();
    let summary: ReturnType<SecretStore['summary']> = null;
    let problem: string | null = null;
    try {
      summary = secrets.summary();
    } catch (e) {
      problem = (e as Error).message;
    }
    const notes = [
      unavailable ? `The system keychain is not available: ${unavailable}` : null,
      protection === 'basic_text'
        ? 'No system keyring was found: keys saved here are encrypted with a key built into Electron, not one only you hold.'
        : null,
      problem,
      src.keyFile
        ? 'BOT_EXCHANGE_KEY_FILE is set: live trading uses that file, not the keys stored here.'
        : 'Live trading uses the keys stored here.',
    ].filter(Boolean);
    return {
      stored: summary !== null,
      exchange: summary?.exchange ?? null,
      key_last4: summary?.key_last4 ?? null,
      protection,
      editable: true,
      note: notes.join(' '),
    };
  };

  const requireKeychain = (): SecretStore => {
    if (!secrets) throw new ServiceError(409, HEADLESS_NOTE);
    return secrets;
  };

  return {
    getExchangeKeys: () => view(),
    saveExchangeKeys: (input, caller) => {
      const store = requireKeychain();
      const { apiKey, secret, confirm_plaintext } = input.body;
      // from here on, neither string can reach a log line
      logger.addSecret(apiKey);
      logger.addSecret(secret);
      const unavailable = store.cipher.unavailable();
      if (unavailable) throw new ServiceError(409, `The system keychain is not available (${unavailable}); nothing was saved.`);
      if (store.cipher.protection() === 'basic_text' && confirm_plaintext !== true) {
        throw new ServiceError(
          409,
          'No system keyring was found (safeStorage uses basic_text): the keys would be encrypted with a key built into Electron, which anyone who can read your files can undo. Confirm to store them anyway (confirm_plaintext: true), or set up a keyring (GNOME Keyring, KWallet) and restart.',
          { confirm_plaintext: 'required without a system keyring' },
        );
      }
      const exchange = input.body.exchange ?? src.exchange;
      try {
        store.save({ exchange, apiKey, secret });
      } catch (e) {
        const reason = redact((e as Error).message);
        logger.warn('the keychain refused to store exchange keys', { reason });
        throw new ServiceError(409, `The system keychain refused to store the keys (${reason}); nothing was saved.`);
      }
      audit('save_exchange_keys', caller, { exchange, key_last4: apiKey.slice(-4) });
      return { success: true as const, keys: view() };
    },
    deleteExchangeKeys: (_input, caller) => {
      const store = requireKeychain();
      if (store.remove()) audit('delete_exchange_keys', caller);
      return { success: true as const, keys: view() };
    },
  };
}
