// The suite-wide secret scan (docs/security.md): test harnesses register, as they close, the data directory they used,
// the tokens and keys they handed out, and what was said to clients (answers, log lines, events). When npm test runs,
// scripts/test.mjs sets BOTDESK_SECRET_SCAN_DIR; the data directories are then left in place and a last pass
// (tests/proof/secret-scan.final.test.ts) searches all of it for every registered secret, then removes them. Without
// the variable (a test file run alone) a directory is removed at once, as before.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface SecretRegistration {
  /** who registered (a harness name), for the report */
  source: string;
  dataDirs: string[];
  secrets: string[];
  /** answer bodies, log lines, events a client received: scanned like files */
  texts: string[];
  /** remove these directories after the scan (they were made by the harness for this test only) */
  removeAfterScan: boolean;
}

/** all the text a registration keeps, so a harness that sees a flood of answers does not write gigabytes */
const MAX_TEXT_CHARS = 4 * 1024 * 1024;

export const secretScanDir = (): string | undefined => process.env.BOTDESK_SECRET_SCAN_DIR || undefined;

/** the one answer that may carry a token: the answer that hands it out (rotation, a new read token, a login) */
export const deliversToken = (text: string): boolean =>
  /^\{"(success":true,")?token"/.test(text) || /"result":\{("success":true,")?token"/.test(text);

/** A bounded collector of what clients were told, for the registration. */
export function textRecorder(): { add(text: string): void; texts: string[] } {
  const texts: string[] = [];
  let size = 0;
  return {
    texts,
    add(text) {
      if (!secretScanDir() || size > MAX_TEXT_CHARS) return;
      size += text.length;
      texts.push(text);
    },
  };
}

/** Registers for the final scan when it will run, else removes the directories at once (when asked to). */
export function retireForScan(r: SecretRegistration): void {
  const folder = secretScanDir();
  if (!folder) {
    if (r.removeAfterScan) for (const d of r.dataDirs) rmSync(d, { recursive: true, force: true });
    return;
  }
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = join(folder, `${process.pid}-${randomBytes(6).toString('hex')}.json`);
  // the registry holds test-only secrets: as private as the stores they came from
  writeFileSync(file, JSON.stringify(r), { mode: 0o600 });
  chmodSync(file, 0o600);
}
