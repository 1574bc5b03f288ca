import { LimitExceededError } from '../util/option-error';

/**
 * A binary min-heap of events ordered by (timeMs, seq). The sequence number is handed
 * out at push time, so two events at the same millisecond run in the order they were
 * scheduled: ties are deterministic, never left to the heap's internal layout.
 */
export interface QueuedEvent {
  timeMs: number;
  seq: number;
}

export class EventQueue<E extends QueuedEvent> {
  private readonly heap: E[] = [];
  private nextSeq = 0;

  constructor(private readonly maxLength: number) {}

  get length(): number {
    return this.heap.length;
  }

  /** Stamps the event's sequence number and inserts it. */
  push(event: E): void {
    const heap = this.heap;
    if (heap.length >= this.maxLength) {
      throw new LimitExceededError(
        `event queue holds ${heap.length} events, its limit (maxQueueLength = ${this.maxLength}); ` +
          'a runaway timer or message loop is the usual cause, or raise maxQueueLength',
      );
    }
    event.seq = this.nextSeq++;
    let index = heap.length;
    heap.push(event);
    // Sift up.
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent.timeMs < event.timeMs || (parent.timeMs === event.timeMs && parent.seq < event.seq)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = event;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  pop(): E | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as E;
    const length = heap.length;
    if (length > 0) {
      // Sift the last element down from the root.
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= length) break;
        const right = left + 1;
        let child = left;
        let childEvent = heap[left];
        if (right < length) {
          const r = heap[right];
          if (r.timeMs < childEvent.timeMs || (r.timeMs === childEvent.timeMs && r.seq < childEvent.seq)) {
            child = right;
            childEvent = r;
          }
        }
        if (last.timeMs < childEvent.timeMs || (last.timeMs === childEvent.timeMs && last.seq < childEvent.seq)) break;
        heap[index] = childEvent;
        index = child;
      }
      heap[index] = last;
    }
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}
