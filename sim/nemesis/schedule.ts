// The fault schedule: a plain list of timed faults. A scenario turns a seed into one; it is
// printed, stored in the run artifact, and can be given back (--schedule FILE) to replay a run or
// to shrink a failing one. Every fault the world can suffer is one named variant here, so the
// schedule is the complete and only description of what the nemesis did.

import type { NodeId } from '../../src/host/contract';
import { assert } from '../../src/util/assert';
import { DRIFT_PPM_MAX } from '../clock/node-clock';
import { describeValue, durationUs, integerIn, readNumber, readObject, type Rule } from '../config/fields';
import { describePartition, resolvePartition, type PartitionSpec } from '../net/partitions';

export type DiskFaultSpec =
  | { readonly kind: 'fsync-eio'; readonly path?: string }
  | { readonly kind: 'enospc'; readonly path?: string }
  | { readonly kind: 'bit-flip'; readonly path?: string }
  | { readonly kind: 'misdirected-write'; readonly path?: string };

/** A directed link between two processes, by name. */
export interface LinkName {
  readonly from: NodeId;
  readonly to: NodeId;
}

export type Fault =
  | { readonly kind: 'partition'; readonly spec: PartitionSpec }
  | { readonly kind: 'heal' }
  /** Messages on these directed links (absent: every link) are lost with this probability, until link-loss-end. */
  | { readonly kind: 'link-loss'; readonly probability: number; readonly links?: readonly LinkName[] }
  /** Every link-loss fault ends. */
  | { readonly kind: 'link-loss-end' }
  /** Power loss: volatile state gone, the disk keeps what its crash rules keep. */
  | { readonly kind: 'crash'; readonly node: NodeId }
  /** Start a node that is down (after a crash, or a wiped disk). */
  | { readonly kind: 'start'; readonly node: NodeId }
  | { readonly kind: 'pause'; readonly node: NodeId }
  | { readonly kind: 'resume'; readonly node: NodeId }
  | { readonly kind: 'clock-jump'; readonly node: NodeId; readonly deltaUs: number }
  | { readonly kind: 'clock-drift'; readonly node: NodeId; readonly driftPpm: number }
  /** Set the drift of whichever server leads when the fault fires (resolved by the world and recorded in the trace, as isolate-leader). */
  | { readonly kind: 'clock-drift-leader'; readonly driftPpm: number }
  /** Step the wall clock of whichever server leads when the fault fires (an NTP step), resolved and recorded as isolate-leader. */
  | { readonly kind: 'clock-jump-leader'; readonly deltaUs: number }
  /** Arm a one-shot disk fault for the node's next matching operation. */
  | { readonly kind: 'disk-fault'; readonly node: NodeId; readonly fault: DiskFaultSpec }
  /** Replace a down node's disk with an empty one. */
  | { readonly kind: 'wipe-disk'; readonly node: NodeId }
  /** An operator asks every node to hand leadership over (only the leader acts: TimeoutNow). */
  | { readonly kind: 'transfer-leadership' }
  /** Graceful shutdown: the node hands leadership over if it has it, then stops after drainUs. */
  | { readonly kind: 'shutdown'; readonly node: NodeId; readonly drainUs: number }
  /** An operator asks every node for a membership change (only the leader acts: joint consensus). */
  | { readonly kind: 'change-membership'; readonly voters: readonly NodeId[]; readonly learners: readonly NodeId[] }
  /**
   * Jepsen's "isolate the primary": cut off whichever server leads when the fault fires (resolved
   * by the world and recorded in the trace, so a replay of the schedule does the same). The
   * clients listed stay on its side, bound to it (as Jepsen binds a client to its node); the
   * others keep every link. With `followers`, that many of the servers it can reach go with it
   * (the nearest before it in member order), so that what it replicates in the meantime reaches a
   * minority and not only itself (Raft's Figure 8 (a)); the cut-off side stays a minority.
   * Undone by heal.
   */
  | { readonly kind: 'isolate-leader'; readonly clients?: readonly NodeId[]; readonly followers?: number }
  /** Jepsen's "kill the primary": crash whichever server leads when the fault fires, start it again after downUs. */
  | { readonly kind: 'crash-leader'; readonly downUs: number }
  /**
   * Cut off a successor: the nemesis watches for the `nth` leader elected after the fault fires
   * (each in a higher term than any leader before it) and cuts that one off as isolate-leader does
   * (with `followers`), afterUs after its election (trigger 'elected') or after it next appends an
   * entry to its log (trigger 'append': a client's write, usually; with afterUs 0 the entry goes
   * nowhere, since a message is checked against partitions when it arrives). Whom and when are
   * recorded in the trace, so a replay does the same. Raft's Figure 8 is such a chain of leaders,
   * each cut off soon after its election. All of it happens within withinUs of the fault firing
   * (a generator sets it to end before its heal): if the leader is not elected, or does not append
   * while it leads, in time for the cut, the fault gives up (recorded). Undone by heal.
   */
  | { readonly kind: 'isolate-next-leader'; readonly nth: number; readonly trigger: NextLeaderTrigger; readonly afterUs: number; readonly withinUs: number; readonly followers?: number }
  /**
   * A power cut timed to an election: the nemesis watches for the next leader elected after the
   * fault fires (in a higher term than any before) and, afterUs after its election, cuts the power
   * to every server that is up or paused, starting each again downUs later. The votes that elected
   * it were granted a network hop or so earlier; a voter that let its vote out before the vote was
   * on disk (fsync slower than the hop) loses it in the cut, and after the restart can grant a second
   * vote in the same term: two leaders in one term. Whom and when are recorded in the trace, so a
   * replay does the same. No leader elected in time for the cut within withinUs: it gives up (recorded).
   */
  | { readonly kind: 'blackout-next-election'; readonly afterUs: number; readonly withinUs: number; readonly downUs: number };

export type NextLeaderTrigger = 'elected' | 'append';
const NEXT_LEADER_TRIGGERS: readonly NextLeaderTrigger[] = ['elected', 'append'];

/** Bound on the nth leader an isolate-next-leader fault may wait for. */
export const NEXT_LEADER_NTH_MAX = 8;

/** Operator actions a system under test may support (the nemesis asks; a system without them ignores them). */
export type OperatorAction =
  | { readonly kind: 'transfer-leadership' }
  | { readonly kind: 'shutdown' }
  | { readonly kind: 'change-membership'; readonly voters: readonly NodeId[]; readonly learners: readonly NodeId[] };

export interface TimedFault {
  readonly atUs: number;
  readonly fault: Fault;
}

export type FaultSchedule = readonly TimedFault[];

/** What the schedule drives: the World satisfies it. */
export interface FaultTarget {
  readonly now: number;
  at(atUs: number, action: () => void): void;
  status(id: NodeId): 'down' | 'up' | 'paused' | 'failed-closed';
  partition(spec: PartitionSpec): { ok: true } | { ok: false; error: string };
  heal(): void;
  setLinkLoss(probability: number, links: readonly LinkName[] | null): void;
  endLinkLoss(): void;
  crash(id: NodeId, cause: string): void;
  start(id: NodeId): void;
  pause(id: NodeId): void;
  resume(id: NodeId): void;
  jumpClock(id: NodeId, deltaUs: number): void;
  setClockDrift(id: NodeId, driftPpm: number): void;
  armDiskFault(id: NodeId, fault: DiskFaultSpec): void;
  wipeDisk(id: NodeId): void;
  record(kind: 'fault', node: NodeId | null, fields: Readonly<Record<string, string | number | boolean | null>>): void;
  /** Asks a node to carry out an operator action; false if the node is not up or the system has no such action. */
  operate(id: NodeId, action: OperatorAction): boolean;
  /** The server that leads now as the system under test sees it (the highest term's up leader), or null. */
  leader(): NodeId | null;
  /** That leader with its term and the last index of its log, or null when there is none. */
  leaderSeen(): { readonly id: NodeId; readonly term: number; readonly lastIndex: number } | null;
  /** Calls check after every step of the run from now on, until it returns true. */
  watchSteps(check: () => boolean): void;
  /** Whether the current partition lets messages pass between the two servers both ways. */
  connected(a: NodeId, b: NodeId): boolean;
  readonly serverIds: readonly NodeId[];
}

/** A schedule may hold at most this many faults: a bound, and a sign of a runaway generator. */
export const SCHEDULE_FAULTS_MAX = 10_000;

/**
 * Registers every fault with the target at its time. Faults that make no sense at the moment
 * they fire (starting a node that is up, wiping a running disk) are skipped and recorded as
 * such: a shrunk or hand-edited schedule must still run.
 */
export function applySchedule(target: FaultTarget, schedule: FaultSchedule): void {
  assert(schedule.length <= SCHEDULE_FAULTS_MAX, 'schedule too long');
  for (const { atUs, fault } of schedule) target.at(atUs, () => inject(target, fault));
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'partition':
      return `partition ${describePartition(fault.spec)}`;
    case 'heal':
      return 'heal the network';
    case 'link-loss':
      return `lose ${Number((fault.probability * 100).toFixed(2))}% of messages on ${fault.links === undefined ? 'every link' : fault.links.map((l) => `${l.from}>${l.to}`).join(' ')}`;
    case 'link-loss-end':
      return 'end message loss';
    case 'transfer-leadership':
      return 'operator: transfer leadership';
    case 'shutdown':
      return `operator: graceful shutdown of ${fault.node} (drain ${fault.drainUs / 1000} ms)`;
    case 'isolate-leader': {
      const followers = fault.followers ?? 0;
      const along = [followers > 0 ? `${followers} follower${followers === 1 ? '' : 's'}` : '', fault.clients !== undefined && fault.clients.length > 0 ? `{${fault.clients.join(' ')}}` : ''].filter((s) => s !== '');
      return along.length > 0 ? `isolate the leader with ${along.join(' and ')}` : 'isolate the leader';
    }
    case 'crash-leader':
      return `crash the leader (down ${fault.downUs / 1000} ms)`;
    case 'blackout-next-election':
      return `cut the power to every server ${fault.afterUs === 0 ? 'at' : `${fault.afterUs / 1000} ms after`} the next leader's election (down ${fault.downUs / 1000} ms)`;
    case 'isolate-next-leader': {
      const followers = fault.followers ?? 0;
      const nth = fault.nth === 1 ? 'next leader' : `${ordinal(fault.nth)} next leader`;
      const event = fault.trigger === 'elected' ? 'its election' : 'its first append';
      const when = fault.afterUs === 0 ? `at ${event}` : `${fault.afterUs / 1000} ms after ${event}`;
      return `isolate the ${nth} ${when}${followers > 0 ? ` with ${followers} follower${followers === 1 ? '' : 's'}` : ''}`;
    }
    case 'change-membership':
      return `operator: membership voters {${fault.voters.join(' ')}}${fault.learners.length > 0 ? ` learners {${fault.learners.join(' ')}}` : ''}`;
    case 'clock-jump':
      return `${fault.node} clock jumps ${fault.deltaUs >= 0 ? '+' : ''}${fault.deltaUs} µs`;
    case 'clock-drift':
      return `${fault.node} clock drifts ${fault.driftPpm} ppm`;
    case 'clock-drift-leader':
      return `the leader's clock drifts ${fault.driftPpm} ppm`;
    case 'clock-jump-leader':
      return `the leader's clock jumps ${fault.deltaUs >= 0 ? '+' : ''}${fault.deltaUs} µs`;
    case 'disk-fault':
      return `${fault.node} disk: ${fault.fault.kind}${fault.fault.path ? ` on ${fault.fault.path}` : ''}`;
    default:
      return `${fault.kind} ${fault.node}`;
  }
}

/** The schedule one fault per line, as the CLI prints it. */
export function formatSchedule(schedule: FaultSchedule): string {
  return schedule.map(({ atUs, fault }) => `${(atUs / 1e6).toFixed(3).padStart(9)} s  ${describeFault(fault)}`).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Reading a schedule from JSON (a --schedule file, or the artifact of an earlier run)

export type ScheduleValidation = { ok: true; schedule: FaultSchedule } | { ok: false; errors: string[] };

/** Checks a schedule from outside the program against the cluster's members. */
export function validateSchedule(raw: unknown, members: readonly NodeId[], prefix = 'schedule', clients: readonly NodeId[] = []): ScheduleValidation {
  const errors: string[] = [];
  if (!Array.isArray(raw)) return { ok: false, errors: [`${prefix}: expected an array of {atUs, fault}, got ${describeValue(raw)}`] };
  if (raw.length > SCHEDULE_FAULTS_MAX) return { ok: false, errors: [`${prefix}: ${raw.length} faults exceed the bound of ${SCHEDULE_FAULTS_MAX}`] };
  const schedule: TimedFault[] = [];
  raw.forEach((entry: unknown, i: number) => {
    const name = `${prefix}[${i}]`;
    const record = readObject(entry, name, ['atUs', 'fault'], errors);
    if (record === null) return;
    if (record['atUs'] === undefined) errors.push(`${name}.atUs: missing`);
    const atUs = readNumber(record, 'atUs', 0, name, errors, durationUs);
    const fault = readFault(record['fault'], `${name}.fault`, members, clients, errors);
    if (fault !== null) schedule.push({ atUs, fault });
  });
  for (let i = 1; i < schedule.length; i++) {
    if ((schedule[i] as TimedFault).atUs < (schedule[i - 1] as TimedFault).atUs) {
      errors.push(`${prefix}[${i}].atUs: faults must be in time order (${(schedule[i] as TimedFault).atUs} < ${(schedule[i - 1] as TimedFault).atUs})`);
      break;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, schedule };
}

const NODE_FAULTS = ['crash', 'start', 'pause', 'resume', 'wipe-disk'] as const;
/** A clock step: an integer number of microseconds, at most an hour either way. */
const CLOCK_JUMP_US = integerIn(-3_600_000_000, 3_600_000_000);
const DISK_FAULT_KINDS = ['fsync-eio', 'enospc', 'bit-flip', 'misdirected-write'] as const;

/** A number field the fault cannot do without: missing or invalid, it is an error naming the field (NaN returned). */
function requiredNumber(record: Record<string, unknown>, key: string, prefix: string, errors: string[], rule: Rule): number {
  if (record[key] === undefined) {
    errors.push(`${prefix}.${key}: missing`);
    return Number.NaN;
  }
  return readNumber(record, key, Number.NaN, prefix, errors, rule);
}

function readFault(raw: unknown, name: string, members: readonly NodeId[], clients: readonly NodeId[], errors: string[]): Fault | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(`${name}: expected an object, got ${describeValue(raw)}`);
    return null;
  }
  const kind = (raw as Record<string, unknown>)['kind'];
  const node = (record: Record<string, unknown>): NodeId | null => {
    const id = record['node'];
    if (typeof id === 'string' && members.includes(id)) return id;
    errors.push(`${name}.node: unknown node ${describeValue(id)} (members: ${members.join(', ')})`);
    return null;
  };
  switch (kind) {
    case 'partition': {
      const record = readObject(raw, name, ['kind', 'spec'], errors);
      if (record === null) return null;
      const spec = record['spec'];
      if (typeof spec !== 'object' || spec === null) {
        errors.push(`${name}.spec: expected a partition spec, got ${describeValue(spec)}`);
        return null;
      }
      // resolvePartition checks the shape's fields and names (it is total over any object).
      const resolved = resolvePartitionSafely(spec, members, clients);
      if (resolved !== null) {
        errors.push(`${name}.spec: ${resolved}`);
        return null;
      }
      return { kind: 'partition', spec: spec as PartitionSpec };
    }
    case 'heal':
      return readObject(raw, name, ['kind'], errors) === null ? null : { kind: 'heal' };
    case 'link-loss-end':
      return readObject(raw, name, ['kind'], errors) === null ? null : { kind: 'link-loss-end' };
    case 'link-loss': {
      const record = readObject(raw, name, ['kind', 'probability', 'links'], errors);
      if (record === null) return null;
      const probability = requiredNumber(record, 'probability', name, errors, lossProbability);
      const links = record['links'] === undefined ? undefined : readLinks(record['links'], `${name}.links`, [...members, ...clients], errors);
      if (Number.isNaN(probability) || links === null) return null;
      return links === undefined ? { kind: 'link-loss', probability } : { kind: 'link-loss', probability, links };
    }
    case 'transfer-leadership':
      return readObject(raw, name, ['kind'], errors) === null ? null : { kind: 'transfer-leadership' };
    case 'isolate-leader': {
      const record = readObject(raw, name, ['kind', 'clients', 'followers'], errors);
      if (record === null) return null;
      const with_ = record['clients'];
      const listed = with_ === undefined || (Array.isArray(with_) && with_.every((c) => typeof c === 'string' && clients.includes(c)));
      if (!listed) errors.push(`${name}.clients: expected a list of clients (${clients.join(', ') || 'none'}), got ${describeValue(with_)}`);
      // The leader and its followers must stay a minority: a cut-off majority would not cut the leader off.
      const followers = readFollowers(record, name, members, errors);
      if (!listed || Number.isNaN(followers)) return null;
      return {
        kind: 'isolate-leader',
        ...(with_ !== undefined ? { clients: with_ as NodeId[] } : {}),
        ...(record['followers'] !== undefined ? { followers } : {}),
      };
    }
    case 'crash-leader': {
      const record = readObject(raw, name, ['kind', 'downUs'], errors);
      if (record === null) return null;
      const downUs = requiredNumber(record, 'downUs', name, errors, durationUs);
      return Number.isNaN(downUs) ? null : { kind: 'crash-leader', downUs };
    }
    case 'isolate-next-leader': {
      const record = readObject(raw, name, ['kind', 'nth', 'trigger', 'afterUs', 'withinUs', 'followers'], errors);
      if (record === null) return null;
      for (const field of ['nth', 'afterUs', 'withinUs'] as const) if (record[field] === undefined) errors.push(`${name}.${field}: missing`);
      const nth = readNumber(record, 'nth', Number.NaN, name, errors, integerIn(1, NEXT_LEADER_NTH_MAX));
      const afterUs = readNumber(record, 'afterUs', Number.NaN, name, errors, durationUs);
      const withinUs = readNumber(record, 'withinUs', Number.NaN, name, errors, durationUs);
      if (!Number.isNaN(afterUs) && !Number.isNaN(withinUs) && afterUs > withinUs) errors.push(`${name}.afterUs: ${afterUs} exceeds withinUs ${withinUs} (the cut must fall within the fault's time)`);
      const followers = readFollowers(record, name, members, errors);
      const trigger = record['trigger'];
      const triggerOk = typeof trigger === 'string' && (NEXT_LEADER_TRIGGERS as readonly string[]).includes(trigger);
      if (!triggerOk) errors.push(`${name}.trigger: expected one of ${NEXT_LEADER_TRIGGERS.join(', ')}, got ${describeValue(trigger)}`);
      if (Number.isNaN(nth) || Number.isNaN(afterUs) || Number.isNaN(withinUs) || afterUs > withinUs || Number.isNaN(followers) || !triggerOk) return null;
      return { kind: 'isolate-next-leader', nth, trigger: trigger as NextLeaderTrigger, afterUs, withinUs, ...(record['followers'] !== undefined ? { followers } : {}) };
    }
    case 'blackout-next-election': {
      const record = readObject(raw, name, ['kind', 'afterUs', 'withinUs', 'downUs'], errors);
      if (record === null) return null;
      const afterUs = requiredNumber(record, 'afterUs', name, errors, durationUs);
      const withinUs = requiredNumber(record, 'withinUs', name, errors, durationUs);
      const downUs = requiredNumber(record, 'downUs', name, errors, durationUs);
      if (!Number.isNaN(afterUs) && !Number.isNaN(withinUs) && afterUs > withinUs) errors.push(`${name}.afterUs: ${afterUs} exceeds withinUs ${withinUs} (the cut must fall within the fault's time)`);
      if (Number.isNaN(afterUs) || Number.isNaN(withinUs) || Number.isNaN(downUs) || afterUs > withinUs) return null;
      return { kind: 'blackout-next-election', afterUs, withinUs, downUs };
    }
    case 'change-membership': {
      const record = readObject(raw, name, ['kind', 'voters', 'learners'], errors);
      if (record === null) return null;
      const list = (field: 'voters' | 'learners'): NodeId[] | null => {
        const v = record[field];
        if (Array.isArray(v) && v.every((x) => typeof x === 'string' && members.includes(x))) return v as NodeId[];
        errors.push(`${name}.${field}: expected a list of members (${members.join(', ')}), got ${describeValue(v)}`);
        return null;
      };
      const voters = list('voters');
      const learners = list('learners');
      return voters === null || learners === null ? null : { kind: 'change-membership', voters, learners };
    }
    case 'shutdown': {
      const record = readObject(raw, name, ['kind', 'node', 'drainUs'], errors);
      if (record === null) return null;
      const id = node(record);
      const drainUs = requiredNumber(record, 'drainUs', name, errors, durationUs);
      return id === null || Number.isNaN(drainUs) ? null : { kind: 'shutdown', node: id, drainUs };
    }
    case 'clock-jump': {
      const record = readObject(raw, name, ['kind', 'node', 'deltaUs'], errors);
      if (record === null) return null;
      const id = node(record);
      const deltaUs = requiredNumber(record, 'deltaUs', name, errors, CLOCK_JUMP_US);
      return id === null || Number.isNaN(deltaUs) ? null : { kind: 'clock-jump', node: id, deltaUs };
    }
    case 'clock-drift': {
      const record = readObject(raw, name, ['kind', 'node', 'driftPpm'], errors);
      if (record === null) return null;
      const id = node(record);
      const driftPpm = requiredNumber(record, 'driftPpm', name, errors, integerIn(-DRIFT_PPM_MAX, DRIFT_PPM_MAX));
      return id === null || Number.isNaN(driftPpm) ? null : { kind: 'clock-drift', node: id, driftPpm };
    }
    case 'clock-jump-leader': {
      const record = readObject(raw, name, ['kind', 'deltaUs'], errors);
      if (record === null) return null;
      const deltaUs = requiredNumber(record, 'deltaUs', name, errors, CLOCK_JUMP_US);
      return Number.isNaN(deltaUs) ? null : { kind: 'clock-jump-leader', deltaUs };
    }
    case 'clock-drift-leader': {
      const record = readObject(raw, name, ['kind', 'driftPpm'], errors);
      if (record === null) return null;
      const driftPpm = requiredNumber(record, 'driftPpm', name, errors, integerIn(-DRIFT_PPM_MAX, DRIFT_PPM_MAX));
      return Number.isNaN(driftPpm) ? null : { kind: 'clock-drift-leader', driftPpm };
    }
    case 'disk-fault': {
      const record = readObject(raw, name, ['kind', 'node', 'fault'], errors);
      if (record === null) return null;
      const id = node(record);
      const f = readObject(record['fault'], `${name}.fault`, ['kind', 'path'], errors);
      if (id === null || f === null) return null;
      const fk = f['kind'];
      if (typeof fk !== 'string' || !(DISK_FAULT_KINDS as readonly string[]).includes(fk)) {
        errors.push(`${name}.fault.kind: unknown disk fault ${describeValue(fk)} (known: ${DISK_FAULT_KINDS.join(', ')})`);
        return null;
      }
      const path = f['path'];
      if (path !== undefined && typeof path !== 'string') {
        errors.push(`${name}.fault.path: expected a string, got ${describeValue(path)}`);
        return null;
      }
      const fault = (path === undefined ? { kind: fk } : { kind: fk, path }) as DiskFaultSpec;
      return { kind: 'disk-fault', node: id, fault };
    }
    default: {
      if (typeof kind === 'string' && (NODE_FAULTS as readonly string[]).includes(kind)) {
        const record = readObject(raw, name, ['kind', 'node'], errors);
        if (record === null) return null;
        const id = node(record);
        return id === null ? null : ({ kind, node: id } as Fault);
      }
      const known = ['partition', 'heal', 'link-loss', 'link-loss-end', 'clock-jump', 'clock-drift', 'disk-fault', ...NODE_FAULTS, 'transfer-leadership', 'shutdown', 'change-membership', 'isolate-leader', 'crash-leader', 'clock-drift-leader', 'clock-jump-leader', 'isolate-next-leader', 'blackout-next-election'];
      errors.push(`${name}.kind: unknown fault ${describeValue(kind)} (known: ${known.join(', ')})`);
      return null;
    }
  }
}

/**
 * The `followers` field of a fault aimed at the leader (0 when absent, NaN on error): the leader
 * and its followers must stay a minority, or the cut would not cut the leader off.
 */
function readFollowers(record: Record<string, unknown>, name: string, members: readonly NodeId[], errors: string[]): number {
  if (record['followers'] === undefined) return 0;
  const followersMax = Math.max(0, Math.floor((members.length - 1) / 2) - 1);
  return readNumber(record, 'followers', Number.NaN, name, errors, integerIn(0, followersMax));
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** A timed loss fault loses something and not everything for good: (0, 1]. */
const lossProbability: Rule = (value) => (Number.isNaN(value) || value <= 0 || value > 1 ? `${value} is outside (0, 1] (end a loss with link-loss-end)` : null);

/** A non-empty list of directed links {from, to} between distinct known processes, or null (errors pushed). */
function readLinks(raw: unknown, name: string, processes: readonly NodeId[], errors: string[]): LinkName[] | null {
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push(`${name}: expected a non-empty array of {from, to}, got ${Array.isArray(raw) ? "an empty array" : describeValue(raw)}`);
    return null;
  }
  const out: LinkName[] = [];
  raw.forEach((entry: unknown, i: number) => {
    const record = readObject(entry, `${name}[${i}]`, ['from', 'to'], errors);
    if (record === null) return;
    const ends = (['from', 'to'] as const).map((end) => {
      const id = record[end];
      if (typeof id === 'string' && processes.includes(id)) return id;
      errors.push(`${name}[${i}].${end}: unknown process ${describeValue(id)} (known: ${processes.join(', ')})`);
      return null;
    });
    const [from, to] = ends;
    if (from === null || to === null || from === undefined || to === undefined) return;
    if (from === to) errors.push(`${name}[${i}]: a link joins two processes, got ${from} to itself`);
    else out.push({ from, to });
  });
  return out.length === raw.length ? out : null;
}

/** The problem with a partition spec read from JSON, or null. */
function resolvePartitionSafely(spec: object, members: readonly NodeId[], clients: readonly NodeId[]): string | null {
  const shape = (spec as { shape?: unknown }).shape;
  const arrays: Record<string, readonly string[]> = {
    groups: ['groups'],
    isolate: [],
    'majority-minority': ['minority'],
    bridge: ['left', 'right'],
    ring: ['order'],
    'one-way': ['from', 'to'],
  };
  if (typeof shape !== 'string' || !(shape in arrays)) return `unknown shape ${describeValue(shape)} (known: ${Object.keys(arrays).join(', ')})`;
  for (const field of arrays[shape] ?? []) {
    const value = (spec as Record<string, unknown>)[field];
    const ok = Array.isArray(value) && (field === 'groups' ? value.every((g) => Array.isArray(g) && g.every((x) => typeof x === 'string')) : value.every((x) => typeof x === 'string'));
    if (!ok) return `${field}: expected ${field === 'groups' ? 'an array of arrays of node names' : 'an array of node names'}`;
  }
  if (shape === 'isolate' && typeof (spec as { node?: unknown }).node !== 'string') return 'node: expected a node name';
  if (shape === 'bridge' && typeof (spec as { bridge?: unknown }).bridge !== 'string') return 'bridge: expected a node name';
  const extra = (spec as { minorityClients?: unknown }).minorityClients;
  if (extra !== undefined && (!Array.isArray(extra) || !extra.every((x) => typeof x === 'string'))) return 'minorityClients: expected an array of client names';
  const resolved = resolvePartition(spec as PartitionSpec, members, clients);
  return resolved.ok ? null : resolved.error.replace(/^partition\./, '');
}

// ---------------------------------------------------------------------------------------------

function inject(target: FaultTarget, fault: Fault): void {
  const skip = (why: string): void => target.record('fault', 'node' in fault ? fault.node : null, { skipped: describeFault(fault), why });
  switch (fault.kind) {
    case 'partition': {
      const result = target.partition(fault.spec);
      // The schedule was validated against the members, so a refusal here is our bug.
      assert(result.ok, `validated partition refused: ${result.ok ? '' : result.error}`);
      return;
    }
    case 'heal':
      return target.heal();
    case 'link-loss':
      return target.setLinkLoss(fault.probability, fault.links ?? null);
    case 'link-loss-end':
      return target.endLinkLoss();
    case 'crash':
      return target.status(fault.node) === 'down' ? skip('already down') : target.crash(fault.node, 'nemesis');
    case 'start':
      return target.status(fault.node) === 'down' ? target.start(fault.node) : skip(`it is ${target.status(fault.node)}`);
    case 'pause':
      return target.status(fault.node) === 'up' ? target.pause(fault.node) : skip(`it is ${target.status(fault.node)}`);
    case 'resume':
      return target.status(fault.node) === 'paused' ? target.resume(fault.node) : skip(`it is ${target.status(fault.node)}`);
    case 'clock-jump':
      return target.jumpClock(fault.node, fault.deltaUs);
    case 'clock-drift':
      return target.setClockDrift(fault.node, fault.driftPpm);
    case 'disk-fault':
      target.armDiskFault(fault.node, fault.fault);
      target.record('fault', fault.node, { armed: fault.fault.kind, path: fault.fault.path ?? null });
      return;
    case 'transfer-leadership':
      for (const id of target.serverIds) target.operate(id, { kind: 'transfer-leadership' });
      return;
    case 'change-membership':
      for (const id of target.serverIds) target.operate(id, { kind: 'change-membership', voters: fault.voters, learners: fault.learners });
      return;
    case 'shutdown': {
      if (target.status(fault.node) !== 'up' || !target.operate(fault.node, { kind: 'shutdown' })) return skip(`it is ${target.status(fault.node)}`);
      // The process is stopped once it had the time to hand leadership over.
      target.at(target.now + fault.drainUs, () => target.crash(fault.node, 'graceful shutdown'));
      return;
    }
    case 'isolate-leader': {
      const leader = target.leader();
      if (leader === null) return skip('no leader');
      return isolate(target, fault, leader, fault.followers ?? 0, fault.clients ?? []);
    }
    case 'clock-drift-leader':
      return atLeader(target, fault, skip, (leader) => target.setClockDrift(leader, fault.driftPpm));
    case 'clock-jump-leader':
      return atLeader(target, fault, skip, (leader) => target.jumpClock(leader, fault.deltaUs));
    case 'isolate-next-leader':
      return watchForLeader(target, fault, fault, (leader) => isolate(target, fault, leader, fault.followers ?? 0, []));
    case 'blackout-next-election':
      return watchForLeader(target, fault, { nth: 1, trigger: 'elected', afterUs: fault.afterUs, withinUs: fault.withinUs }, () => blackout(target, fault.downUs));
    case 'crash-leader':
      return atLeader(target, fault, skip, (leader) => {
        target.crash(leader, 'nemesis');
        target.at(target.now + fault.downUs, () => (target.status(leader) === 'down' ? target.start(leader) : undefined));
      });
    case 'wipe-disk': {
      const status = target.status(fault.node);
      if (status !== 'down' && status !== 'failed-closed') return skip(`it is ${status}`);
      return target.wipeDisk(fault.node);
    }
  }
}

/** Cuts the leader off from the other servers, with `followers` of those it reaches and the clients listed on its side. */
function isolate(target: FaultTarget, fault: Fault, leader: NodeId, followers: number, beside: readonly NodeId[]): void {
  const along = followersOf(target, leader, followers);
  target.record('fault', leader, along.length > 0 ? { resolved: describeFault(fault), leader, followers: along.join(' ') } : { resolved: describeFault(fault), leader });
  const minority = [leader, ...along];
  const result = target.partition(
    beside.length > 0 || along.length > 0 ? { shape: 'majority-minority', minority, ...(beside.length > 0 ? { minorityClients: beside } : {}) } : { shape: 'isolate', node: leader },
  );
  assert(result.ok, `isolating the leader refused: ${result.ok ? '' : result.error}`);
}

/** A fault aimed at whoever leads when it fires: resolved, recorded with whom, then acted on; skipped (recorded) with no leader. */
function atLeader(target: FaultTarget, fault: Fault, skip: (why: string) => void, act: (leader: NodeId) => void): void {
  const leader = target.leader();
  if (leader === null) return skip('no leader');
  target.record('fault', leader, { resolved: describeFault(fault), leader });
  act(leader);
}

/** When a fault watching for a new leader acts: see isolate-next-leader. */
interface LeaderWatch {
  readonly nth: number;
  readonly trigger: NextLeaderTrigger;
  readonly afterUs: number;
  readonly withinUs: number;
}

/** Cuts the power to every server that is up or paused, and starts each of them again downUs later. */
function blackout(target: FaultTarget, downUs: number): void {
  const cut = target.serverIds.filter((id) => target.status(id) === 'up' || target.status(id) === 'paused');
  for (const id of cut) target.crash(id, 'nemesis');
  target.at(target.now + downUs, () => {
    for (const id of cut) if (target.status(id) === 'down') target.start(id);
  });
}

/**
 * Watches every step for the nth leader elected from now (a leader in a higher term than any seen
 * so far), then for its trigger, and acts on that leader afterUs later (act is called only if it
 * is still up then). Bounded: the watch ends by the time an act afterUs later would fall past
 * withinUs, and the act is one event.
 */
function watchForLeader(target: FaultTarget, fault: Fault, watch: LeaderWatch, act: (leader: NodeId) => void): void {
  const giveUpAtUs = target.now + watch.withinUs - watch.afterUs;
  let highestTerm = target.leaderSeen()?.term ?? 0;
  let elected = 0;
  /** The leader this fault aims at, once elected, with the last index of its log when first seen leading. */
  let aim: { readonly id: NodeId; readonly term: number; readonly lastIndex: number } | null = null;
  const fire = (leader: NodeId, trigger: Readonly<Record<string, string | number>>): void => {
    target.record('fault', leader, { triggered: describeFault(fault), leader, ...trigger });
    const actNow = (): void => {
      if (target.status(leader) !== 'up') return target.record('fault', leader, { skipped: describeFault(fault), why: `${leader} is ${target.status(leader)}` });
      act(leader);
    };
    // At once, within this step: messages the leader just sent are checked when they arrive.
    if (watch.afterUs === 0) actNow();
    else target.at(target.now + watch.afterUs, actNow);
  };
  const giveUp = (why: string): boolean => {
    target.record('fault', aim?.id ?? null, { skipped: describeFault(fault), why });
    return true;
  };
  target.record('fault', null, { watching: describeFault(fault), sinceTerm: highestTerm });
  target.watchSteps(() => {
    const seen = target.leaderSeen();
    if (aim === null) {
      if (target.now > giveUpAtUs) return giveUp(`no ${ordinal(watch.nth)} new leader in time`);
      if (seen !== null && seen.term > highestTerm) {
        highestTerm = seen.term;
        if (++elected === watch.nth) {
          if (watch.trigger === 'elected') {
            fire(seen.id, { term: seen.term });
            return true;
          }
          aim = seen;
          return false;
        }
      }
      return false;
    }
    // Waiting for the aimed-at leader's first append while it leads.
    if (seen === null || seen.id !== aim.id || seen.term !== aim.term) return giveUp(`${aim.id} no longer leads in term ${aim.term}`);
    if (target.now > giveUpAtUs) return giveUp(`${aim.id} appended nothing in time`);
    if (seen.lastIndex > aim.lastIndex) {
      fire(aim.id, { term: aim.term, index: seen.lastIndex });
      return true;
    }
    return false;
  });
}

/**
 * Up to `count` up servers the leader can reach now, the nearest before it in member order
 * (deterministic, so a replay picks the same). Before, not after: a client that loses the leader
 * tries the server after it next, which then is not cut off with it and can point it onward.
 */
function followersOf(target: FaultTarget, leader: NodeId, count: number): NodeId[] {
  const servers = target.serverIds;
  const start = servers.indexOf(leader);
  assert(start >= 0, `the leader ${leader} is not a server`);
  const out: NodeId[] = [];
  for (let step = 1; step < servers.length && out.length < count; step++) {
    const id = servers[(start - step + servers.length) % servers.length] as NodeId;
    if (target.status(id) === 'up' && target.connected(leader, id)) out.push(id);
  }
  return out;
}
