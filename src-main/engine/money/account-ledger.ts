import type { CashFlow } from '../../../src-shared/contract';

/** what the ledger keeps its figures in (the bot's SQLite file) */
export interface LedgerStore {
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;
  atomically(fn: () => void): void;
  insertCashFlow(f: Omit<CashFlow, 'id'>): CashFlow;
  netCashFlow(): number;
}

/** coins the account holds outside positions (dust, deposits, coins bought by hand) and what they were worth when they came */
export interface Holdings {
  base: number;
  basis: number;
}

const NONE: Holdings = { base: 0, basis: 0 };

/**
 * The account beside the trade list (docs/contract.md §9): what it started with, money that moved without the bot (cash flows,
 * never P&L), and the coins it holds outside positions. With the executor's sums it gives
 *   equity = start + realised + unrealised(positions) + (holdings.base × price − holdings.basis) + net cash flow,
 * which for a live account is what the exchange holds, valued at the last price.
 */
export class AccountLedger {
  private start: number;
  private known: boolean;
  private net: number;
  private held: Holdings;

  constructor(
    private readonly store: LedgerStore,
    opts: { legacyStart?: number | null } = {},
  ) {
    const kept = store.getMeta('start_equity') ?? opts.legacyStart?.toString() ?? null;
    this.known = kept !== null && Number.isFinite(Number(kept));
    this.start = this.known ? Number(kept) : 0;
    this.net = store.netCashFlow();
    const holdings = store.getMeta('holdings');
    this.held = holdings === null ? NONE : (JSON.parse(holdings) as Holdings);
  }

  /** false until the account's value was first read (a live account before its first balance read) */
  get startKnown(): boolean {
    return this.known;
  }
  get startEquity(): number {
    return this.start;
  }
  get netCashFlow(): number {
    return this.net;
  }
  get holdings(): Holdings {
    return this.held;
  }
  /** equity without the positions and the holdings' market value: start + net cash flow − holdings' basis */
  get cashBase(): number {
    return this.start + this.net - this.held.basis;
  }
  holdingsPnl(price: number): number {
    return this.held.base === 0 || !Number.isFinite(price) ? -this.held.basis : this.held.base * price - this.held.basis;
  }

  /** The account's value becomes the start (no order sent yet: a symbol switch, a paper balance, a deposit). */
  rebase(start: number, holdings: Holdings = NONE): void {
    this.store.atomically(() => {
      this.store.setMeta('start_equity', String(start));
      this.store.setMeta('holdings', JSON.stringify(holdings));
    });
    this.start = start;
    this.known = true;
    this.held = { ...holdings };
  }

  /** money that moved without the bot, with the holdings it leaves, in one transaction */
  record(flows: readonly Omit<CashFlow, 'id'>[], holdings: Holdings): CashFlow[] {
    const saved: CashFlow[] = [];
    this.store.atomically(() => {
      for (const f of flows) saved.push(this.store.insertCashFlow(f));
      this.store.setMeta('holdings', JSON.stringify(holdings));
    });
    for (const f of flows) this.net += f.value;
    this.held = { ...holdings };
    return saved;
  }
}

/** what a paper data directory saved before the start was kept began with */
const LEGACY_PAPER_START = 10_000;

/**
 * The ledger of a data directory. Its start is kept from the first run on; one saved before that (an older BotDesk)
 * is taken from what that version used: the paper account's 10,000, or the live start it kept under another key.
 * A fresh paper account starts at `paperBalance`; a fresh live one is unknown until its balances are read.
 */
export function openLedger(
  store: LedgerStore & { lastIds(): { order: number } },
  o: { mode: 'paper' | 'live'; paperBalance: number },
): AccountLedger {
  const ledger = new AccountLedger(store);
  if (ledger.startKnown) return ledger;
  const legacyLive = store.getMeta('live_start_equity');
  const start =
    o.mode === 'live' ? (legacyLive === null ? null : Number(legacyLive)) : store.lastIds().order > 0 ? LEGACY_PAPER_START : o.paperBalance;
  if (start !== null && Number.isFinite(start)) ledger.rebase(start);
  return ledger;
}
