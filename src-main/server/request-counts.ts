/** Answers counted by route and status, for /metrics (`botdesk_http_requests_total`). */
export class RequestCounts {
  /** "route status" → answers */
  readonly byKey = new Map<string, number>();
  // keys built once per route and status, not per request
  private readonly keys = new Map<string, Map<number, string>>();

  count(route: string, status: number): void {
    let byStatus = this.keys.get(route);
    if (!byStatus) this.keys.set(route, (byStatus = new Map()));
    let key = byStatus.get(status);
    if (!key) byStatus.set(status, (key = `${route} ${status}`));
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
  }
}
