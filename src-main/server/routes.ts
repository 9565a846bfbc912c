import { isHttpOperation, operations, type OperationName } from '../../src-shared/contract';

export const API_PREFIX = '/api/v1';

export interface RouteMatch {
  name: OperationName;
  params: Record<string, string>;
}

interface CompiledRoute {
  name: OperationName;
  method: string;
  segments: string[];
}

/**
 * The HTTP routes, derived from the operation table (never listed twice). Exact paths resolve through a map;
 * the few with `:id` segments are matched segment by segment.
 */
export class RouteTable {
  private readonly exact = new Map<string, OperationName>();
  private readonly patterns: CompiledRoute[] = [];
  private readonly methodsByPath = new Map<string, Set<string>>();

  constructor() {
    for (const [name, op] of Object.entries(operations) as [OperationName, (typeof operations)[OperationName]][]) {
      const path = API_PREFIX + op.path;
      if (!isHttpOperation(name)) {
        this.windowOnly.set(`${op.method} ${path}`, name);
        continue;
      }
      if (path.includes('/:')) this.patterns.push({ name, method: op.method, segments: path.split('/') });
      else this.exact.set(`${op.method} ${path}`, name);
      const methods = this.methodsByPath.get(path) ?? new Set<string>();
      methods.add(op.method);
      this.methodsByPath.set(path, methods);
    }
  }

  private readonly windowOnly = new Map<string, OperationName>();

  /** an operation the desktop window alone may call (IPC), asked for over HTTP: its name, else null */
  windowOnlyOperation(method: string, path: string): OperationName | null {
    return this.windowOnly.get(`${method} ${path}`) ?? null;
  }

  match(method: string, path: string): RouteMatch | null {
    const name = this.exact.get(`${method} ${path}`);
    if (name) return { name, params: {} };
    if (this.patterns.length === 0) return null;
    const parts = path.split('/');
    for (const r of this.patterns) {
      if (r.method !== method) continue;
      const params = matchSegments(r.segments, parts);
      if (params) return { name: r.name, params };
    }
    return null;
  }

  /** methods served at `path` (for 405 with Allow), empty when the path is unknown */
  allowedMethods(path: string): string[] {
    const direct = this.methodsByPath.get(path);
    if (direct) return [...direct];
    const parts = path.split('/');
    return this.patterns.filter((r) => matchSegments(r.segments, parts)).map((r) => r.method);
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(':')) {
      if (parts[i] === '') return null;
      try {
        params[p.slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        return null;
      }
    } else if (p !== parts[i]) return null;
  }
  return params;
}
