import type { ExchangePort, MarketRules } from '../ports/exchange.port';
import type { Executor } from './executor';

/**
 * After reconciliation: what the exchange holds that the journal does not explain. Each finding is reported for a
 * person to decide; nothing found here is adopted, cancelled or sold by the bot.
 */
export async function accountFindings(o: {
  exchange: ExchangePort;
  executor: Executor;
  rules: MarketRules;
  price: number;
}): Promise<string[]> {
  const { exchange, executor, rules, price } = o;
  const findings: string[] = [];
  if (exchange.openClientOrderIds) {
    const known = new Set(executor.activeOrders().map((x) => x.client_order_id));
    const foreign = (await exchange.openClientOrderIds()).filter((id) => !known.has(id));
    if (foreign.length) {
      findings.push(
        `${foreign.length} order(s) rest on the exchange that this bot did not place or no longer tracks (${foreign.slice(0, 5).join(', ')}); they are left alone`,
      );
    }
  }
  const [base] = await exchange.assetBalances(rules.symbol);
  const held = executor.openPositions().reduce((sum, p) => sum + p.amount, 0);
  // dust (what fees and step rounding leave behind, worth less than the smallest order) is nobody's business
  const dust = (x: number) => x < rules.minAmount || (Number.isFinite(price) && x * price < rules.minNotional);
  if (base.total < held - rules.amountStep / 2) {
    findings.push(
      `the account holds ${base.total} ${rules.base} but the open positions need ${held}: coins were sold or moved outside the bot`,
    );
  } else if (!dust(base.total - held)) {
    findings.push(
      `the account holds ${base.total - held} ${rules.base} that no position accounts for; the bot will not sell coins it did not buy`,
    );
  }
  return findings;
}
