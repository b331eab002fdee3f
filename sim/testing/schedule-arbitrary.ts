// Fault schedules as fast-check arbitraries: any mix of partitions, message loss, crashes and
// restarts, pauses, clock faults, one-shot disk faults and faults aimed at the leader (a power cut
// at the next election among them) over a cluster, always ending
// healed (every node started and resumed, the network whole) before the final healing period. fast-check shrinks a failing
// schedule towards fewer, earlier, simpler faults, which is what a person wants to read.

import fc from 'fast-check';
import type { NodeId } from '../../src/host/contract';
import type { Fault, FaultSchedule, TimedFault } from '../nemesis/schedule';
import type { PartitionSpec } from '../net/partitions';

export interface ScheduleShape {
  readonly members: readonly NodeId[];
  readonly durationUs: number;
  /** The fault-free healing period the run ends with (the system's, SystemUnderTest.quietUs). */
  readonly quietUs: number;
  /** Nodes whose disks may be damaged (keep it a minority for safety properties). */
  readonly damageable: readonly NodeId[];
  readonly faultsMax: number;
}

const CRASH_LEADER_DOWN_US_MIN = 100_000;
const CRASH_LEADER_DOWN_US_MAX = 2_000_000;
/** A blackout at the next election: how long it waits for one, and how long every node stays down. */
const BLACKOUT_WITHIN_US = 1_000_000;
const BLACKOUT_DOWN_US_MAX = 1_000_000;

export function faultScheduleArbitrary(shape: ScheduleShape): fc.Arbitrary<FaultSchedule> {
  const windowEndUs = shape.durationUs - shape.quietUs;
  const node = fc.constantFrom(...shape.members);
  const minority = fc.subarray([...shape.members], { minLength: 1, maxLength: Math.max(1, Math.floor((shape.members.length - 1) / 2)) });
  const partition: fc.Arbitrary<PartitionSpec> = fc.oneof(
    minority.map((m): PartitionSpec => ({ shape: 'majority-minority', minority: m })),
    node.map((n): PartitionSpec => ({ shape: 'isolate', node: n })),
    fc.tuple(node, node).filter(([a, b]) => a !== b).map(([a, b]): PartitionSpec => ({ shape: 'one-way', from: [a], to: [b] })),
  );
  const faults: fc.Arbitrary<Fault>[] = [
    partition.map((spec): Fault => ({ kind: 'partition', spec })),
    fc.constant<Fault>({ kind: 'heal' }),
    node.map((n): Fault => ({ kind: 'crash', node: n })),
    node.map((n): Fault => ({ kind: 'start', node: n })),
    node.map((n): Fault => ({ kind: 'pause', node: n })),
    node.map((n): Fault => ({ kind: 'resume', node: n })),
    fc.tuple(node, fc.integer({ min: -1_000_000, max: 1_000_000 })).map(([n, deltaUs]): Fault => ({ kind: 'clock-jump', node: n, deltaUs })),
    fc.tuple(node, fc.integer({ min: -10_000, max: 10_000 })).map(([n, driftPpm]): Fault => ({ kind: 'clock-drift', node: n, driftPpm })),
    // Aimed at whoever leads when the fault fires (the world resolves it and records whom).
    fc.constant<Fault>({ kind: 'isolate-leader' }),
    fc.integer({ min: -10_000, max: 10_000 }).map((driftPpm): Fault => ({ kind: 'clock-drift-leader', driftPpm })),
    fc.integer({ min: -1_000_000, max: 1_000_000 }).map((deltaUs): Fault => ({ kind: 'clock-jump-leader', deltaUs })),
    fc.integer({ min: 1, max: 30 }).map((percent): Fault => ({ kind: 'link-loss', probability: percent / 100 })),
    fc.constant<Fault>({ kind: 'link-loss-end' }),
  ];
  if (shape.damageable.length > 0) {
    const kinds = fc.constantFrom('fsync-eio' as const, 'enospc' as const, 'bit-flip' as const, 'misdirected-write' as const);
    faults.push(fc.tuple(fc.constantFrom(...shape.damageable), kinds).map(([n, kind]): Fault => ({ kind: 'disk-fault', node: n, fault: { kind } })));
  }
  const anyFault = fc.record({ atUs: fc.integer({ min: 0, max: windowEndUs - 1 }), fault: fc.oneof(...faults) });
  // A crashed leader restarts by itself after downUs: early enough that it is up again before the
  // healing period (the healing start would otherwise find it already restarted, or not yet down).
  const crashLeader = fc
    .integer({ min: CRASH_LEADER_DOWN_US_MIN, max: CRASH_LEADER_DOWN_US_MAX })
    .chain((downUs) => fc.record({ atUs: fc.integer({ min: 0, max: Math.max(0, windowEndUs - downUs - 1) }), fault: fc.constant<Fault>({ kind: 'crash-leader', downUs }) }));
  // A blackout restarts every node it cut by itself, downUs after a cut that comes within withinUs: all of it before the healing period.
  const blackout = fc
    .tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: BLACKOUT_DOWN_US_MAX }))
    .chain(([afterUs, downUs]) =>
      fc.record({ atUs: fc.integer({ min: 0, max: Math.max(0, windowEndUs - BLACKOUT_WITHIN_US - downUs - 1) }), fault: fc.constant<Fault>({ kind: 'blackout-next-election', afterUs, withinUs: BLACKOUT_WITHIN_US, downUs }) }),
    );
  const timed =
    windowEndUs > CRASH_LEADER_DOWN_US_MAX && windowEndUs > BLACKOUT_WITHIN_US + BLACKOUT_DOWN_US_MAX
      ? fc.oneof({ arbitrary: anyFault, weight: 12 }, { arbitrary: crashLeader, weight: 1 }, { arbitrary: blackout, weight: 1 })
      : anyFault;
  return fc.array(timed, { maxLength: shape.faultsMax }).map((list) => {
    const sorted: TimedFault[] = [...list].sort((a, b) => a.atUs - b.atUs);
    // Whatever happened, the healing period starts with a whole cluster.
    const healing: TimedFault[] = [{ atUs: windowEndUs, fault: { kind: 'heal' } }, { atUs: windowEndUs, fault: { kind: 'link-loss-end' } }];
    for (const n of shape.members) {
      healing.push({ atUs: windowEndUs, fault: { kind: 'resume', node: n } }, { atUs: windowEndUs, fault: { kind: 'start', node: n } }, { atUs: windowEndUs, fault: { kind: 'clock-drift', node: n, driftPpm: 0 } });
    }
    return [...sorted, ...healing];
  });
}
