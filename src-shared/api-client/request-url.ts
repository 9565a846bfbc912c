import { operations, type OperationInput, type OperationName } from '../contract';

export const API_PREFIX = '/api/v1';

/** `/bot/positions/:id/close` + `{id: 7}` → `/api/v1/bot/positions/7/close?…` */
export function requestPath<N extends OperationName>(name: N, input: OperationInput<N> = {}): string {
  const op = operations[name];
  const params = (input.params ?? {}) as Record<string, unknown>;
  const path = op.path.replace(/:([a-z_]+)/gi, (_, key: string) => {
    const value = params[key];
    if (value === undefined || value === null) throw new Error(`${name}: missing path parameter ${key}`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries((input.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const qs = query.toString();
  return `${API_PREFIX}${path}${qs ? `?${qs}` : ''}`;
}
