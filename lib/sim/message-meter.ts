/**
 * Messages and bytes per message type, as a strategy's nodes send them. Nodes only add
 * to a meter; no protocol decision reads it, so it is measurement, not shared state.
 */
export interface MessageCount {
  type: string;
  messages: number;
  bytes: number;
}

export class MessageMeter {
  private readonly byType = new Map<string, MessageCount>();

  countMessage(type: string, bytes: number): void {
    const entry = this.byType.get(type);
    if (entry) {
      entry.messages++;
      entry.bytes += bytes;
    } else {
      this.byType.set(type, { type, messages: 1, bytes });
    }
  }

  /** One record per message type, sorted by type. */
  messages(): MessageCount[] {
    return [...this.byType.values()].map((m) => ({ ...m })).sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }

  /** Bytes of the given message types (all types when none are given). */
  bytes(types?: readonly string[]): number {
    let total = 0;
    for (const entry of this.byType.values()) if (!types || types.includes(entry.type)) total += entry.bytes;
    return total;
  }

  /** Messages of the given types (all types when none are given). */
  count(types?: readonly string[]): number {
    let total = 0;
    for (const entry of this.byType.values()) if (!types || types.includes(entry.type)) total += entry.messages;
    return total;
  }
}
