import { z } from 'zod';
import {
  BotEventSchema,
  ErrorBodySchema,
  isHttpOperation,
  operations,
  SessionRequestSchema,
  SessionResponseSchema,
  type OperationDef,
  type OperationName,
} from '../../src-shared/contract';
import { API_PREFIX } from './routes';

/** what every route may answer: input errors, and (behind the token) the token's */
const ERROR_STATUSES: Record<string, string> = {
  '400': 'Invalid input; `fields` names each bad field.',
  '401': 'Missing or invalid token.',
  '403': 'Read-only token on a control route, or a foreign Host/Origin.',
  '429': 'Too many failed authentication attempts.',
};

/** what a route that reads a body may answer about the body itself, before the operation sees it */
const BODY_STATUSES: Record<string, string> = {
  '413': 'The request body is larger than 1 MiB.',
  '415': 'A non-empty body that is not JSON (Content-Type: application/json).',
};

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;

/** The OpenAPI 3.1 document, generated from the operation table's zod schemas (never written by hand). */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, op] of Object.entries(operations) as [OperationName, (typeof operations)[OperationName]][]) {
    if (!isHttpOperation(name)) continue; // the window's own (IPC), not part of the API
    const path = API_PREFIX + op.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    if ('params' in op && op.params) parameters.push(...objectParameters(op.params, 'path'));
    if ('query' in op && op.query) parameters.push(...objectParameters(op.query, 'query'));
    if ('ifMatch' in op && op.ifMatch)
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: false,
        schema: { type: 'string' },
        description: 'config version the change is based on',
      });
    const responses: Record<string, unknown> = {
      '200': { description: 'OK', content: { 'application/json': { schema: schemaOf(op.output, 'output') } } },
    };
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      if (op.scope === 'public' && status !== '400') continue;
      responses[status] = { description, content: { 'application/json': { schema: schemaOf(ErrorBodySchema, 'output') } } };
    }
    // every route but a GET reads a body, so these two apply to each of them (json-body.ts)
    if (op.method !== 'GET')
      for (const [status, description] of Object.entries(BODY_STATUSES))
        responses[status] = { description, content: { 'application/json': { schema: schemaOf(ErrorBodySchema, 'output') } } };
    // the operation's own answers, each with why (OperationDef.errors)
    for (const [status, why] of Object.entries((op as OperationDef).errors ?? {})) {
      const description = status === '403' ? `${ERROR_STATUSES['403']} Also: ${why}.` : `${why[0].toUpperCase()}${why.slice(1)}.`;
      responses[status] = { description, content: { 'application/json': { schema: schemaOf(ErrorBodySchema, 'output') } } };
    }
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = {
      operationId: name,
      summary: op.summary,
      tags: [op.scope === 'control' ? 'control' : 'monitoring'],
      security: op.scope === 'public' ? [] : [{ bearer: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...('body' in op && op.body
        ? {
            requestBody: {
              required: !op.body.safeParse(undefined).success,
              content: { 'application/json': { schema: schemaOf(op.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: schemaOf(ErrorBodySchema, 'output') } },
  });
  paths[`${API_PREFIX}/session`] = {
    post: {
      operationId: 'createSession',
      summary: 'Exchange the one-time code of the printed dashboard link (/#login=CODE) for the token. Each code works once.',
      tags: ['auth'],
      security: [],
      requestBody: { required: true, content: { 'application/json': { schema: schemaOf(SessionRequestSchema, 'input') } } },
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: schemaOf(SessionResponseSchema, 'output') } } },
        '400': error('No code sent.'),
        '413': error(BODY_STATUSES['413']),
        '415': error(BODY_STATUSES['415']),
        '401': error('Unknown, used or expired code.'),
        '429': error(ERROR_STATUSES['429']),
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'BotDesk management API',
      version,
      description:
        'Control and monitor the BotDesk trading bot. Every route except /health needs `Authorization: Bearer <token>`. Events stream over the WebSocket at /ws/events (`x-events` lists their shapes).',
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
    'x-events': schemaOf(BotEventSchema, 'output'),
  };
}

function objectParameters(schema: z.ZodType, where: 'path' | 'query'): unknown[] {
  const json = schemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}
