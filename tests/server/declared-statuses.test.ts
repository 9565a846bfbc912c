// Each operation declares what it may answer besides 200 (OperationDef.errors): the OpenAPI document lists those per
// route, and under BOTDESK_STRICT_STATUSES=1 (every test run) a handler answering an undeclared status is a bug.
import { describe, expect, it } from 'vitest';
import { ServiceError, operations, type OperationHandlers } from '../../src-shared/contract';
import { runOperation } from '../../src-main/operations/invoke-operation';
import { EngineError } from '../../src-main/engine/errors';
import { buildOpenApiDocument } from '../../src-main/server/openapi';

const caller = { actor: 'test', scope: 'control' as const };
const failing = (e: unknown) =>
  ({
    getStatus: () => {
      throw e;
    },
    getBalances: () => {
      throw e;
    },
  }) as unknown as OperationHandlers;

describe('declared answers', () => {
  it('the tests run strict', () => expect(process.env.BOTDESK_STRICT_STATUSES).toBe('1'));

  it('a declared status passes as it is; an undeclared one is reported as a bug naming the operation', () => {
    expect(() => runOperation(failing(new ServiceError(502, 'down')), 'getBalances', {}, caller)).toThrow(ServiceError);
    expect(() => runOperation(failing(new ServiceError(502, 'down')), 'getStatus', {}, caller)).toThrow(
      /getStatus answered 502, which its operation does not declare: down/,
    );
  });

  it('an engine failure gets its status in one place: invalid 400, conflict 409, not found 404', () => {
    const statusOf = (kind: EngineError['kind']) => {
      try {
        runOperation(failing(new EngineError(kind, 'no')), 'getBalances', {}, caller);
      } catch (e) {
        return e instanceof ServiceError ? e.status : (e as Error).message;
      }
    };
    expect(statusOf('invalid')).toBe(400);
    expect(statusOf('conflict')).toMatch(/getBalances answered 409, which its operation does not declare/);
    expect(statusOf('not_found')).toMatch(/answered 404/);
  });

  it("the OpenAPI document lists each route's own answers, and only those", () => {
    const doc = buildOpenApiDocument('test') as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    const balances = doc.paths['/api/v1/bot/balances'].get.responses;
    expect(balances['502'].description).toMatch(/could not be reached/);
    expect(balances['409']).toBeUndefined();
    const write = doc.paths['/api/v1/bot/positions/{id}/write-off'].post.responses;
    expect(Object.keys(write).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '429']);
    expect(doc.paths['/api/v1/bot/status'].get.responses['409']).toBeUndefined();
    // every declared status is one the document shows
    for (const op of Object.values(operations)) {
      if ('ipcOnly' in op && op.ipcOnly) continue;
      const route = doc.paths[`/api/v1${op.path.replace(/:(\w+)/g, '{$1}')}`][op.method.toLowerCase()];
      for (const status of Object.keys('errors' in op ? (op.errors ?? {}) : {}))
        expect(route.responses[status], `${op.path} ${status}`).toBeDefined();
    }
  });
});
