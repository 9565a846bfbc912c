/**
 * The newest events' texts for `?since=` replay, kept as UTF-8 in one buffer allocated once, with their offsets in
 * typed arrays. Nothing in it is a JavaScript string or object, so overwriting the oldest event leaves no garbage:
 * a ring of strings lives minutes, is promoted to V8's old generation and dies there, and V8 collects that
 * generation only when it reaches its limit, so resident memory rose for an hour and more (docs/benchmarks.md,
 * memory). Holds at most `slots` events and `bytes` bytes; an event larger than the buffer is not held (what is
 * older goes too, so what is held stays one unbroken run of seqs).
 */
export class TextRing {
  private readonly buf: Buffer;
  private readonly seqs: Float64Array;
  private readonly offsets: Uint32Array;
  private readonly lengths: Uint32Array;
  private readonly typeCodes: Uint8Array;
  private readonly types: string[] = [];
  /** oldest seq held (last + 1 when nothing is) */
  private first = 1;
  private last = 0;
  /** where the next text is written */
  private tail = 0;

  constructor(
    private readonly slots: number,
    bytes: number,
  ) {
    // written through once now, so all of it is resident from the start: left untouched, its pages would count one by
    // one as the first lap wrote them, a slow rise over the first half hour of a replay
    this.buf = Buffer.allocUnsafeSlow(bytes).fill(0);
    this.seqs = new Float64Array(slots).fill(-1);
    this.offsets = new Uint32Array(slots);
    this.lengths = new Uint32Array(slots);
    this.typeCodes = new Uint8Array(slots);
  }

  /** oldest seq held; `newest + 1` when none is */
  get firstHeld(): number {
    return this.first;
  }

  /** how many events are held */
  get held(): number {
    let n = 0;
    for (let s = this.first; s <= this.last; s++) if (this.has(s)) n++;
    return n;
  }

  /** `seq` is above every seq put before */
  put(seq: number, type: string, text: string): void {
    const n = Buffer.byteLength(text);
    const wasEmpty = this.first > this.last;
    if (n > this.buf.length) {
      this.first = seq + 1;
      this.last = seq;
      this.tail = 0;
      return;
    }
    this.first = Math.max(this.first, seq - this.slots + 1);
    if (this.tail + n > this.buf.length) {
      // the end of the buffer is left unused this lap: what lies there is the oldest and goes first
      this.evict((s) => this.offsets[s % this.slots] >= this.tail);
      this.tail = 0;
    }
    const from = this.tail;
    this.evict((s) => this.offsets[s % this.slots] < from + n && this.offsets[s % this.slots] + this.lengths[s % this.slots] > from);
    const slot = seq % this.slots;
    this.buf.write(text, from, 'utf8');
    this.seqs[slot] = seq;
    this.offsets[slot] = from;
    this.lengths[slot] = n;
    this.typeCodes[slot] = this.code(type);
    this.tail = from + n;
    this.last = seq;
    if (wasEmpty) this.first = seq;
  }

  /** the held event `seq`, decoded; undefined if not held */
  get(seq: number): { seq: number; type: string; json: string } | undefined {
    if (seq < this.first || seq > this.last || !this.has(seq)) return undefined;
    const slot = seq % this.slots;
    const at = this.offsets[slot];
    return { seq, type: this.types[this.typeCodes[slot]], json: this.buf.toString('utf8', at, at + this.lengths[slot]) };
  }

  private has(seq: number): boolean {
    return this.seqs[seq % this.slots] === seq;
  }

  /** drops the oldest events while `overlaps` says so (seqs missing from the run, after a journal's gap, are passed over) */
  private evict(overlaps: (seq: number) => boolean): void {
    while (this.first <= this.last) {
      if (this.has(this.first) && !overlaps(this.first)) return;
      this.first++;
    }
  }

  private code(type: string): number {
    let c = this.types.indexOf(type);
    if (c < 0) c = this.types.push(type) - 1;
    return c;
  }
}
