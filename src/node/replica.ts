// A replica: one Raft core, its storage and its replicated state machine, composed into a process
// under the host contract. It recovers the durable state from storage before the core exists,
// turns the core's effects into host effects (messages, timers, disk operations via storage, trace
// notes), applies committed entries, and answers the environment's requests (propose, read,
// membership change, leadership transfer) once their fate is known. It does no I/O of its own and
// knows nothing of the simulator.

import type { HostEffect, HostInput, NodeId, NoteFields, Process } from '../host/contract';
import type { Random } from '../util/random';
import { assert, unreachable } from '../util/assert';
import type { RaftConfig } from '../raft/config';
import { RaftNode } from '../raft/node';
import type { LogEntry, RaftEffect, RaftEvent, RaftInput, RaftMessage, RaftView, ReadMode, RequestId, Role, TimerName } from '../raft/types';
import type { ReplicatedStateMachine } from './state-machine';
import type { StorageOutput } from '../storage/storage';
import type { StoragePort } from './storage-port';

/** What the environment may ask a replica (a test driver, the workload). */
export type ReplicaRequest =
  | { readonly kind: 'propose'; readonly requestId: RequestId; readonly data: Uint8Array }
  | { readonly kind: 'read'; readonly requestId: RequestId; readonly mode: ReadMode }
  | { readonly kind: 'changeMembership'; readonly requestId: RequestId; readonly voters: readonly NodeId[]; readonly learners: readonly NodeId[] }
  | { readonly kind: 'transferLeadership'; readonly to: NodeId | null };

/** How a request ended, as far as this replica can tell. */
export type ReplicaOutcome =
  | { readonly requestId: RequestId; readonly outcome: 'committed'; readonly index: number; readonly result: Uint8Array }
  | { readonly requestId: RequestId; readonly outcome: 'read-ok'; readonly readIndex: number }
  | { readonly requestId: RequestId; readonly outcome: 'redirect'; readonly leaderHint: NodeId | null }
  | { readonly requestId: RequestId; readonly outcome: 'busy' }
  /** Unknown: the entry may or may not commit later (leadership lost, node not ready). */
  | { readonly requestId: RequestId; readonly outcome: 'dropped'; readonly reason: string }
  | { readonly requestId: RequestId; readonly outcome: 'rejected'; readonly reason: string };

export type ReplicaEffect = HostEffect<RaftMessage, ReplicaOutcome>;

/** Bound on core inputs one host input may cause (persist completions, snapshot hand-backs). */
const CORE_INPUTS_PER_STEP_MAX = 10_000;
/** Bound on reads and proposals waiting for apply; beyond it the oldest are answered 'dropped'. */
const WAITING_MAX = 4096;

export class Replica implements Process<RaftMessage, ReplicaRequest, ReplicaOutcome> {
  private core: RaftNode | null = null;
  private nowUs = 0;
  /** The host's monotonic clock at this input (absent: the core falls back to nowUs). */
  private monoUs: number | undefined = undefined;
  /** Proposals the core accepted, by log index: answered when that index is applied. */
  private readonly proposals = new Map<number, { requestId: RequestId; term: number }>();
  /** Reads waiting for the state machine to reach their read index, in arrival order. */
  private readonly reads: { requestId: RequestId; readIndex: number }[] = [];
  /** Entries handed to the state machine since the last drainApplied(): for the invariant monitor. */
  private appliedSince: LogEntry[] = [];
  private appliedIndex = 0;

  constructor(
    readonly id: NodeId,
    private readonly config: RaftConfig,
    private readonly storage: StoragePort,
    private readonly machine: ReplicatedStateMachine,
    private readonly random: Random,
  ) {}

  /** The core's view, or null while recovering. */
  inspect(): RaftView | null {
    return this.core === null ? null : this.core.inspect();
  }

  /** The core's role, or null while recovering (cheap: no view is built). */
  role(): Role | null {
    return this.core === null ? null : this.core.role;
  }

  /** The entries applied since the last call (the invariant monitor's feed). */
  drainApplied(): LogEntry[] {
    const out = this.appliedSince;
    this.appliedSince = [];
    return out;
  }

  step(input: HostInput<RaftMessage, ReplicaRequest>): ReplicaEffect[] {
    this.nowUs = input.nowUs;
    this.monoUs = input.monoUs;
    const out: ReplicaEffect[] = [];
    switch (input.kind) {
      case 'start':
        this.absorb(this.storage.start(), out);
        break;
      case 'disk':
        this.absorb(this.storage.diskDone(input.opId, input.result), out);
        break;
      case 'timer':
        if (this.core !== null) this.drive({ kind: 'timerFired', timer: input.name as TimerName, nowUs: this.nowUs }, out);
        break;
      case 'message':
        // Until recovery finishes the replica has no state to answer with: the sender will retry.
        if (this.core !== null) this.drive({ kind: 'receive', from: input.from, message: input.message, nowUs: this.nowUs }, out);
        break;
      case 'external':
        this.request(input.request, out);
        break;
      default:
        unreachable(input, 'host input');
    }
    return out;
  }

  // --- requests from the environment ---------------------------------------------------------

  private request(request: ReplicaRequest, out: ReplicaEffect[]): void {
    if (this.core === null) {
      if (request.kind !== 'transferLeadership') out.push(answer({ requestId: request.requestId, outcome: 'dropped', reason: 'recovering' }));
      return;
    }
    const nowUs = this.nowUs;
    switch (request.kind) {
      case 'propose':
        return this.drive({ kind: 'propose', requestId: request.requestId, data: request.data, nowUs }, out);
      case 'read':
        return this.drive({ kind: 'read', requestId: request.requestId, mode: request.mode, nowUs }, out);
      case 'changeMembership':
        return this.drive({ kind: 'changeMembership', requestId: request.requestId, voters: request.voters, learners: request.learners, nowUs }, out);
      case 'transferLeadership':
        return this.drive({ kind: 'transferLeadership', to: request.to, nowUs }, out);
    }
  }

  // --- the core ------------------------------------------------------------------------------

  /** Steps the core with an input and everything it leads to, translating effects as it goes. */
  private drive(first: RaftInput, out: ReplicaEffect[]): void {
    const core = this.core;
    assert(core !== null, 'drive before recovery');
    const queue: RaftInput[] = [first];
    for (let n = 0; queue.length > 0; n++) {
      assert(n < CORE_INPUTS_PER_STEP_MAX, 'replica: core inputs per step exceed their bound');
      const next = queue.shift() as RaftInput;
      const result = core.step(this.monoUs === undefined || next.monoUs !== undefined ? next : { ...next, monoUs: this.monoUs });
      for (const event of result.events) out.push(noteOf(event));
      for (const effect of result.effects) this.execute(effect, out, queue);
    }
  }

  private execute(effect: RaftEffect, out: ReplicaEffect[], queue: RaftInput[]): void {
    switch (effect.kind) {
      case 'send':
        out.push({ kind: 'send', to: effect.to, message: effect.message });
        return;
      case 'setTimer':
        out.push({ kind: 'setTimer', name: effect.timer, atLocalUs: effect.atLocalUs });
        return;
      case 'persistState':
      case 'appendLog':
      case 'saveSnapshot':
        return this.absorb(this.storage.persist(effect), out, queue);
      case 'apply':
        for (const entry of effect.entries) this.apply(entry, out);
        return this.answerReads(out);
      case 'installSnapshot':
        this.machine.restore(effect.data);
        this.appliedIndex = effect.meta.lastIndex;
        // Proposals at or below the snapshot were decided by someone else's log: unknown here.
        for (const [index, p] of this.proposals) {
          if (index <= effect.meta.lastIndex) {
            out.push(answer({ requestId: p.requestId, outcome: 'dropped', reason: 'superseded by a snapshot' }));
            this.proposals.delete(index);
          }
        }
        return this.answerReads(out);
      case 'takeSnapshot': {
        assert(effect.upToIndex === this.appliedIndex, 'snapshot requested at an index other than applied');
        const term = this.core?.log.termAt(effect.upToIndex);
        assert(term !== undefined && term !== null, 'snapshot index has no term');
        queue.push({ kind: 'snapshotTaken', lastIndex: effect.upToIndex, lastTerm: term, data: this.machine.snapshot(), nowUs: this.nowUs });
        return;
      }
      case 'proposed':
        if (this.proposals.size >= WAITING_MAX) {
          out.push(answer({ requestId: effect.requestId, outcome: 'busy' }));
          return;
        }
        this.proposals.set(effect.index, { requestId: effect.requestId, term: effect.term });
        return;
      case 'readReady':
        if (this.reads.length >= WAITING_MAX) {
          const oldest = this.reads.shift() as { requestId: RequestId };
          out.push(answer({ requestId: oldest.requestId, outcome: 'dropped', reason: 'too many reads waiting' }));
        }
        this.reads.push({ requestId: effect.requestId, readIndex: effect.readIndex });
        return this.answerReads(out);
      case 'redirect':
        out.push(answer({ requestId: effect.requestId, outcome: 'redirect', leaderHint: effect.leaderHint }));
        return;
      case 'busy':
        out.push(answer({ requestId: effect.requestId, outcome: 'busy' }));
        return;
      case 'dropped':
        out.push(answer({ requestId: effect.requestId, outcome: 'dropped', reason: effect.reason }));
        return;
      case 'rejected':
        out.push(answer({ requestId: effect.requestId, outcome: 'rejected', reason: effect.reason }));
        return;
      case 'halt':
        out.push({ kind: 'halt', mode: 'restart', reason: effect.reason });
        return;
      default:
        unreachable(effect, 'raft effect');
    }
  }

  private apply(entry: LogEntry, out: ReplicaEffect[]): void {
    assert(entry.index === this.appliedIndex + 1, `apply out of order: ${entry.index} after ${this.appliedIndex}`);
    this.appliedIndex = entry.index;
    this.appliedSince.push(entry);
    const result = entry.kind === 'command' ? this.machine.apply(entry) : new Uint8Array(0);
    const waiting = this.proposals.get(entry.index);
    if (waiting === undefined) return;
    this.proposals.delete(entry.index);
    // The index was reused by another leader's entry: this proposal's fate is unknown here.
    if (waiting.term !== entry.term) out.push(answer({ requestId: waiting.requestId, outcome: 'dropped', reason: 'overwritten by a new leader' }));
    else out.push(answer({ requestId: waiting.requestId, outcome: 'committed', index: entry.index, result }));
  }

  private answerReads(out: ReplicaEffect[]): void {
    while (this.reads.length > 0 && (this.reads[0] as { readIndex: number }).readIndex <= this.appliedIndex) {
      const read = this.reads.shift() as { requestId: RequestId; readIndex: number };
      out.push(answer({ requestId: read.requestId, outcome: 'read-ok', readIndex: read.readIndex }));
    }
  }

  // --- storage -------------------------------------------------------------------------------

  /** Carries out what storage asked for; completions become core inputs (queued, or driven now). */
  private absorb(result: StorageOutput, out: ReplicaEffect[], queue: RaftInput[] | null = null): void {
    for (const note of result.notes) out.push({ kind: 'note', event: note.event, fields: note.fields });
    for (const { opId, op } of result.disk) out.push({ kind: 'disk', opId, op });
    if (result.failClosed !== null) {
      out.push({ kind: 'halt', mode: 'fail-closed', reason: result.failClosed });
      return;
    }
    if (result.restart !== null) {
      // Recovery could not finish for a reason that is not damage (a read or repair failed): try again.
      out.push({ kind: 'halt', mode: 'restart', reason: result.restart });
      return;
    }
    if (result.recovered !== null) {
      assert(this.core === null, 'recovered twice');
      const core = new RaftNode(this.id, this.config, result.recovered, this.random);
      this.core = core;
      const snapshot = result.recovered.snapshot;
      if (snapshot !== null) this.machine.restore(snapshot.data);
      this.appliedIndex = snapshot?.meta.lastIndex ?? 0;
      out.push({ kind: 'note', event: 'recovered', fields: { term: result.recovered.term, entries: result.recovered.entries.length, snapshotIndex: this.appliedIndex } });
      this.drive({ kind: 'start', nowUs: this.nowUs }, out);
    }
    const inputs: RaftInput[] = [];
    for (const syncId of result.persisted) inputs.push({ kind: 'persisted', syncId, nowUs: this.nowUs });
    for (const { syncId, reason } of result.failed) inputs.push({ kind: 'persistFailed', syncId, reason, nowUs: this.nowUs });
    if (inputs.length === 0) return;
    if (queue !== null) queue.push(...inputs);
    else for (const input of inputs) this.drive(input, out);
  }
}

function answer(outcome: ReplicaOutcome): ReplicaEffect {
  return { kind: 'output', output: outcome };
}

/** A core event as a trace note: scalar fields as they are, a configuration as text. */
function noteOf(event: RaftEvent): ReplicaEffect {
  const fields: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type') continue;
    if (key === 'config') {
      const c = value as { voters: readonly string[]; votersOld: readonly string[] | null; learners: readonly string[] };
      fields.voters = c.voters.join(' ');
      fields.votersOld = c.votersOld === null ? null : c.votersOld.join(' ');
      fields.learners = c.learners.join(' ');
    } else {
      fields[key] = value as string | number | boolean | null;
    }
  }
  return { kind: 'note', event: event.type, fields: fields as NoteFields };
}
