import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src-main/engine/events/event-bus';

const log = (msg: string) => ({ ts: 0, level: 'info' as const, msg });

describe('event bus', () => {
  it('keeps the last `capacity` events for replay, in seq order, across the ring wrapping', () => {
    const bus = new EventBus(3);
    for (let i = 1; i <= 7; i++) bus.publish('log', log(`m${i}`));
    expect(bus.since(0).map((e) => e.event.seq)).toEqual([5, 6, 7]);
    expect(bus.since(5).map((e) => e.event.seq)).toEqual([6, 7]);
    expect(bus.since(7)).toEqual([]);
    expect(JSON.parse(bus.since(6)[0].json)).toMatchObject({ type: 'log', seq: 7, data: { msg: 'm7' } });
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
