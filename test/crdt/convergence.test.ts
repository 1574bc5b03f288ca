// Proves strong eventual consistency for every CRDT: three replicas that apply operations
// and receive each other's states in any order, with duplicates, end in the same state,
// whose value matches the sequential specification where one exists.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../lib/crdt';
import { deliveryOrderArbitrary } from '../clocks/delivery-order';
import { propertyRuns } from '../clocks/property-settings';
import { AnyCrdtCase, CRDT_CASES, REPLICAS } from './crdt-cases';

/**
 * A schedule interleaves operations with deliveries. After each operation the replica sends
 * its whole state to both others; a delivery hands a replica any message already sent to it
 * (so late, reordered and repeated deliveries all happen). At the end every message is
 * delivered once more in a random order, with duplicates: the network finally heals.
 */
type ScheduleStep = { kind: 'op'; replica: number; op: unknown } | { kind: 'deliver'; replica: number; pick: number };

interface Message {
  to: number;
  state: unknown;
}

function runSchedule(crdt: AnyCrdtCase, schedule: ScheduleStep[]) {
  const replicas = REPLICAS.map(() => crdt.type.empty());
  const messages: Message[] = [];
  const operations: { replicaId: string; op: unknown }[] = [];
  for (const step of schedule) {
    if (step.kind === 'op') {
      replicas[step.replica] = crdt.apply(replicas[step.replica], REPLICAS[step.replica], step.op);
      operations.push({ replicaId: REPLICAS[step.replica], op: step.op });
      for (let to = 0; to < REPLICAS.length; to++) if (to !== step.replica) messages.push({ to, state: replicas[step.replica] });
    } else {
      const inbox = messages.filter((message) => message.to === step.replica);
      if (inbox.length > 0) replicas[step.replica] = crdt.type.merge(replicas[step.replica], inbox[step.pick % inbox.length].state);
    }
  }
  return { replicas, messages, operations };
}

function scheduleArbitrary(crdt: AnyCrdtCase): fc.Arbitrary<ScheduleStep[]> {
  const step: fc.Arbitrary<ScheduleStep> = fc.oneof(
    fc.record({ kind: fc.constant('op' as const), replica: fc.nat(2), op: crdt.operation }),
    fc.record({ kind: fc.constant('deliver' as const), replica: fc.nat(2), pick: fc.nat(99) }),
  );
  return fc.array(step, { maxLength: 30 });
}

describe.each(CRDT_CASES.map((crdt) => [crdt.name, crdt] as const))('%s convergence', (_name, crdt) => {
  it('property: any delivery order, with duplicates, converges to one state and value', () => {
    fc.assert(
      fc.property(
        scheduleArbitrary(crdt).chain((schedule) => {
          const run = runSchedule(crdt, schedule);
          return fc.tuple(fc.constant(run), deliveryOrderArbitrary(run.messages.length));
        }),
        ([run, finalDeliveries]) => {
          const replicas = [...run.replicas];
          for (const index of finalDeliveries) {
            const message = run.messages[index];
            replicas[message.to] = crdt.type.merge(replicas[message.to], message.state);
          }
          for (const replica of replicas.slice(1)) {
            expect(canonicalJson(replica)).toBe(canonicalJson(replicas[0]));
            expect(crdt.type.value(replica)).toEqual(crdt.type.value(replicas[0]));
          }
          if (crdt.expectedValue !== undefined) {
            expect(crdt.type.value(replicas[0])).toEqual(crdt.expectedValue(run.operations));
          }
        },
      ),
      propertyRuns(100),
    );
  });
});
