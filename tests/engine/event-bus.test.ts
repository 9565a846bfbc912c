import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src-main/engine/events/event-bus';
import { addSecret, errorLine } from '../../src-main/engine/log/redact';

const log = (msg: string) => ({ ts: 0, level: 'info' as const, msg });

describe('event bus', () => {
  it('keeps the last `capacity` events for replay, in seq order, across the ring wrapping', () => {
    const bus = new EventBus(3);
    for (let i = 1; i <= 7; i++) bus.publish('log', log(`m${i}`));
    expect(bus.since(0).map((e) => e.seq)).toEqual([5, 6, 7]);
    expect(bus.since(5).map((e) => e.seq)).toEqual([6, 7]);
    expect(bus.since(0).map((e) => e.type)).toEqual(['log', 'log', 'log']);
    expect(bus.held).toBe(3);
    expect(bus.since(7)).toEqual([]);
    expect(JSON.parse(bus.since(6)[0].json)).toMatchObject({ type: 'log', seq: 7, data: { msg: 'm7' } });
  });

  it('hands each event to the `first` listeners (the transports) before the others, whenever they subscribed', () => {
    const bus = new EventBus();
    const heard: string[] = [];
    bus.subscribe((e) => {
      heard.push(`fleet ${e.seq}`);
      if (e.seq === 1) bus.publish('log', log('published by a consumer'));
    });
    const stop = bus.subscribe((e) => heard.push(`socket ${e.seq}`), { first: true });
    bus.publish('log', log('one'));
    expect(heard).toEqual(['socket 1', 'fleet 1', 'socket 2', 'fleet 2']);
    stop();
    bus.publish('log', log('three'));
    expect(heard.slice(4)).toEqual(['fleet 3']);
  });

  it('delivers an event published from inside a listener after the current one, to every listener', () => {
    const bus = new EventBus();
    const first: number[] = [];
    const second: number[] = [];
    bus.subscribe((e) => {
      first.push(e.seq);
      if (e.seq === 1) bus.publish('log', log('from a listener'));
    });
    bus.subscribe((e) => second.push(e.seq));
    bus.publish('log', log('outer'));
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2]);
  });

  it('isolates a throwing listener', () => {
    const bus = new EventBus();
    const got: number[] = [];
    bus.subscribe(() => {
      throw new Error('broken consumer');
    });
    bus.subscribe((e) => got.push(e.seq));
    expect(() => bus.publish('log', log('x'))).not.toThrow();
    expect(got).toEqual([1]);
  });
});

describe('redaction of what the bus hands out', () => {
  it('an error event loses registered secrets (even ones JSON escapes) and the user info and query of URLs in any case of scheme; the rest stays as it was', () => {
    addSecret('k3y-0123456789');
    addSecret('se"cret\\0123456789');
    const bus = new EventBus();
    const heard: string[] = [];
    bus.subscribe((e, json) => heard.push(JSON.stringify(e), json));
    bus.publish('error', {
      code: 'exchange_error',
      message: 'key k3y-0123456789 secret se"cret\\0123456789 at HTTPS://API.X.COM/v3/order?apiKey=abc or Http://user:pw@h/x',
    });
    bus.publish('log', { ts: 0, level: 'info', msg: 'fleet bot at https://host:8080/api', nested: { url: 'wss://h/ws?token=abc' } });
    for (const text of [...heard, ...bus.since(0).map((e) => e.json)]) {
      expect(text).not.toMatch(/k3y-0123456789|0123456789|apiKey=abc|user:pw|token=abc/);
    }
    expect(bus.since(0).map((e) => (JSON.parse(e.json) as { data: unknown }).data)).toEqual([
      {
        code: 'exchange_error',
        message: 'key [REDACTED] secret [REDACTED] at HTTPS://API.X.COM/v3/order?[REDACTED] or Http://[REDACTED]@h/x',
      },
      { ts: 0, level: 'info', msg: 'fleet bot at https://host:8080/api', nested: { url: 'wss://h/ws?[REDACTED]' } },
    ]);
  });

  it('errorLine: one line, the class, no URL whatever its case, no secret', () => {
    addSecret('k3y-0123456789');
    const e = Object.assign(
      new Error('binance {"msg":"bad k3y-0123456789"}\n  GET HTTPS://api.binance.com/api/v3/account?timestamp=1&signature=ff'),
      { name: 'AuthenticationError' },
    );
    expect(errorLine(e)).toBe('AuthenticationError: binance {"msg":"bad [REDACTED]"} GET <url>');
  });
});
