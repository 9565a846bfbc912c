// The event bus's replay ring (src-main/engine/events/text-ring.ts): texts in one reused buffer, so holding the newest
// events makes no garbage (docs/benchmarks.md, memory). What it holds must be exactly what was put, oldest first, an
// unbroken run of seqs ending at the newest, as much as fits.
import { describe, expect, it } from 'vitest';
import { TextRing } from '../../src-main/engine/events/text-ring';

/** deterministic sizes: small, mid, multi-byte, and now and then one near or above the buffer's size */
function* texts(count: number, bytes: number): Generator<string> {
  let x = 12345;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 1; i <= count; i++) {
    const r = rnd();
    if (r < 0.02) yield 'X'.repeat(Math.floor(bytes * (0.9 + rnd() * 0.3)));
    else if (r < 0.2) yield `{"i":${i},"m":"${'€'.repeat(1 + Math.floor(rnd() * 40))}"}`;
    else yield `{"i":${i},"m":"${'a'.repeat(Math.floor(rnd() * 300))}"}`;
  }
}

describe('text ring', () => {
  it('holds exactly the newest texts that fit, in order, across hundreds of wraps', () => {
    const slots = 50;
    const bytes = 4096;
    const ring = new TextRing(slots, bytes);
    const all: string[] = [];
    let seq = 0;
    for (const text of texts(6000, bytes)) {
      ring.put(++seq, seq % 3 ? 'log' : 'status_change', text);
      all[seq] = text;
      const first = ring.firstHeld;
      const size = (s: number) => Buffer.byteLength(all[s]);
      let used = 0;
      for (let s = first; s <= seq; s++) {
        expect(ring.get(s)).toEqual({ seq: s, type: s % 3 ? 'log' : 'status_change', json: all[s] });
        used += size(s);
      }
      expect(ring.get(first - 1)).toBeUndefined();
      expect(ring.get(seq + 1)).toBeUndefined();
      expect(seq - first + 1).toBeLessThanOrEqual(slots);
      expect(used).toBeLessThanOrEqual(bytes);
      expect(ring.held).toBe(seq - first + 1);
      // nothing was dropped that would have fitted: with the one before the oldest, the slots or the bytes run out
      // (counting the end a wrap leaves unused, shorter than the text that did not fit there, so than the largest held)
      if (first > 1 && seq - first + 1 < slots && size(first - 1) <= bytes) {
        let largest = 0;
        for (let s = first; s <= seq; s++) largest = Math.max(largest, size(s));
        expect(used + size(first - 1) + largest).toBeGreaterThan(bytes);
      }
    }
  });

  it('an event larger than the buffer is not held, nor anything older; the next ones are', () => {
    const ring = new TextRing(10, 100);
    ring.put(1, 'log', 'one');
    ring.put(2, 'log', 'two');
    ring.put(3, 'log', 'x'.repeat(101));
    expect(ring.held).toBe(0);
    expect(ring.firstHeld).toBe(4);
    expect(ring.get(3)).toBeUndefined();
    ring.put(4, 'log', 'four');
    expect(ring.firstHeld).toBe(4);
    expect(ring.get(4)?.json).toBe('four');
  });

  it('starts from a journal with gaps in its seqs: it holds what it was given and passes over what is missing', () => {
    const ring = new TextRing(5, 1000);
    for (const s of [101, 102, 104, 105]) ring.put(s, 'log', `e${s}`);
    expect(ring.firstHeld).toBe(101);
    expect([101, 102, 103, 104, 105].map((s) => ring.get(s)?.json)).toEqual(['e101', 'e102', undefined, 'e104', 'e105']);
    ring.put(106, 'log', 'e106');
    ring.put(107, 'log', 'e107');
    // 103 would be the oldest of five slots, but it never came: the run starts at 104
    expect(ring.firstHeld).toBe(104);
    expect(ring.held).toBe(4);
  });
});
