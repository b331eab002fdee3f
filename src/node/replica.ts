// A replica: one Raft core, its storage and its replicated state machine, composed into a process
// under the host contract. It recovers the durable state from storage before the core exists,
// turns the core's effects into host effects (messages, timers, disk operations via storage, trace
// notes), applies committed entries, and answers the environment's requests (propose, read,
// membership change, leadership transfer) once their fate is known. It does no I/O of its own and
// knows nothing of the simulator. With an identity mode (identity.ts) it knows who it is from its
// identity file, and a replica that finds its disk empty without being told to bootstrap joins
// under a new Raft id instead of acting as its old self.

import type { HostEffect, HostInput, NodeId, NoteFields, Process } from '../host/contract';
import type { Random } from '../util/random';
import { assert, unreachable } from '../util/assert';
import type { RaftConfig } from '../raft/config';
import { RaftNode } from '../raft/node';
import type { LogEntry, RaftEffect, RaftEvent, RaftInput, RaftMessage, RaftView, ReadMode, RequestId, Role, TimerName } from '../raft/types';
import type { ReplicatedStateMachine } from './state-machine';
import type { StorageOutput } from '../storage/storage';
import type { StoragePort } from './storage-port';
import type { DurableState } from '../raft/types';
import { freshIdentity, joinChange, processOf, type ReplicaMessage } from './identity';

/**
 * How a replica knows who it is. Null (legacy): its Raft id is its process name, always, and no
 * identity file is kept. Otherwise `bootstrap` says whether this start may found the identity on
 * an empty disk (the first start of a provisioned node); any other start on an empty disk is a
 * wiped disk, and the replica joins under a new identity.
 */
export type IdentityMode = { readonly bootstrap: boolean } | null;

/** How often a joining replica asks to be added or promoted (local microseconds). */
export const JOIN_EVERY_US = 500_000;
const JOIN_TIMER = 'replica.join';
const JOIN_REQUEST_PREFIX = 'join/';

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

export type ReplicaEffect = HostEffect<ReplicaMessage, ReplicaOutcome>;

/** Bound on core inputs one host input may cause (persist completions, snapshot hand-backs). */
const CORE_INPUTS_PER_STEP_MAX = 10_000;
/** Bound on reads and proposals waiting for apply; beyond it the oldest are answered 'dropped'. */
const WAITING_MAX = 4096;

export class Replica implements Process<ReplicaMessage, ReplicaRequest, ReplicaOutcome> {
  private core: RaftNode | null = null;
  /** Who this replica is to Raft: its process name unless its identity file says otherwise. */
  private raftId: NodeId;
  /** The recovered state waiting for the identity to be durable before the core starts. */
  private awaitingIdentity: DurableState | null = null;
  /** Whether this replica is a new identity still asking to become a voter. */
  private joining = false;
  private joinRequests = 0;
  private nowUs = 0;
  /** The host's monotonic clock at this input (absent: the core falls back to nowUs); every core input the replica builds carries it. */
  private monoUs: number | undefined = undefined;
  /** Proposals the core accepted, by log index: answered when that index is applied. */
  private readonly proposals = new Map<number, { requestId: RequestId; term: number }>();
  /** Reads waiting for the state machine to reach their read index, in arrival order. */
  private readonly reads: { requestId: RequestId; readIndex: number }[] = [];
  /** Entries handed to the state machine since the last drainApplied(): for the invariant monitor. */
  private appliedSince: LogEntry[] = [];
  private appliedIndex = 0;
  /** The core's view as of the last step, built on demand (the invariant monitor asks after every simulated step). */
  private view: RaftView | null = null;

  constructor(
    readonly id: NodeId,
    private readonly config: RaftConfig,
    private readonly storage: StoragePort,
    private readonly machine: ReplicatedStateMachine,
    private readonly random: Random,
    private readonly identity: IdentityMode = null,
  ) {
    this.raftId = id;
  }

  /** The Raft id this replica acts as (its process name unless it rejoined after a wipe). */
  get memberId(): NodeId {
    return this.raftId;
  }

  /** The core's view, or null while recovering. */
  inspect(): RaftView | null {
    if (this.core === null) return null;
    // Only drive() changes the core (it is private): the view built since the core last stepped is
    // still true, and the same object tells an observer nothing changed (most steps of a server
    // are a disk completion or a message that never reaches its core).
    if (this.view === null) this.view = this.core.inspect();
    return this.view;
  }

  /** The core's role, or null while recovering (cheap: no view is built). */
  role(): Role | null {
    return this.core === null ? null : this.core.role;
  }

  /** The entries applied since the last call (the invariant monitor's feed). */
  drainApplied(): readonly LogEntry[] {
    // Called after every simulated step, mostly with nothing applied: no new array then.
    if (this.appliedSince.length === 0) return NOTHING_APPLIED;
    const out = this.appliedSince;
    this.appliedSince = [];
    return out;
  }

  step(input: HostInput<ReplicaMessage, ReplicaRequest>): ReplicaEffect[] {
    this.nowUs = input.nowUs;
    this.monoUs = input.monoUs;
    const out: ReplicaEffect[] = [];
    this.stepInner(input, out);
    // Outcomes of the changes this replica made for joiners are its own business, not an operator's.
    for (let i = 0; i < out.length; i++) {
      const e = out[i] as ReplicaEffect;
      if (e.kind === 'output' && e.output.requestId.startsWith(JOIN_REQUEST_PREFIX)) {
        out[i] = { kind: 'note', event: 'joinChangeOutcome', fields: { requestId: e.output.requestId, outcome: e.output.outcome } };
      }
    }
    return out;
  }

  private stepInner(input: HostInput<ReplicaMessage, ReplicaRequest>, out: ReplicaEffect[]): void {
    if (input.kind === 'timer' && input.name === JOIN_TIMER) return this.askToJoin(out);
    if (input.kind === 'message') return this.receive(input.from, input.message, out);
    switch (input.kind) {
      case 'start':
        this.absorb(this.storage.start(), out);
        break;
      case 'disk':
        this.absorb(this.storage.diskDone(input.opId, input.result), out);
        break;
      case 'timer':
        if (this.core !== null) this.drive({ kind: 'timerFired', timer: input.name as TimerName, nowUs: this.nowUs, monoUs: this.monoUs }, out);
        break;
      case 'external':
        this.request(input.request, out);
        break;
      default:
        unreachable(input, 'host input');
    }
  }

  // --- identities ----------------------------------------------------------------------------

  /** A message from process `from`: unwrapped, dropped when it is meant for another identity of ours. */
  private receive(from: NodeId, message: ReplicaMessage, out: ReplicaEffect[]): void {
    // Until recovery finishes the replica has no state to answer with: the sender will retry.
    if (this.core === null) return;
    if (message.type === 'replica.join') {
      if (processOf(message.id) === from) this.onJoin(message.id, out);
      return;
    }
    let sender = from;
    let to = this.id; // a plain message is for the member named after this process
    let raft: RaftMessage;
    if (message.type === 'replica.as') {
      if (processOf(message.from) !== from) return; // a sender may only speak for its own process
      sender = message.from;
      to = message.to;
      raft = message.message;
    } else {
      raft = message;
    }
    if (to !== this.raftId) return; // traffic for an old self of this process: it is gone
    this.drive({ kind: 'receive', from: sender, message: raft, nowUs: this.nowUs, monoUs: this.monoUs }, out);
  }

  /** How a Raft message to `to` leaves: plain between members named after their processes, else in an envelope. */
  private sendRaft(to: NodeId, message: RaftMessage, out: ReplicaEffect[]): void {
    const process = processOf(to);
    if (to === process && this.raftId === this.id) out.push({ kind: 'send', to: process, message });
    else out.push({ kind: 'send', to: process, message: { type: 'replica.as', from: this.raftId, to, message } });
  }

  /** The leader's answer to a join request: the change that adds (or promotes) the joiner, if any is due. */
  private onJoin(joiner: NodeId, out: ReplicaEffect[]): void {
    const view = this.core?.inspect() ?? null;
    if (view === null || view.role !== 'leader' || view.config.votersOld !== null) return;
    const change = joinChange(view.config, joiner);
    if (change === null) return;
    const requestId = `${JOIN_REQUEST_PREFIX}${joiner}/${++this.joinRequests}`;
    out.push({ kind: 'note', event: 'joinChange', fields: { joiner, voters: change.voters.join(' '), learners: change.learners.join(' '), requestId } });
    this.drive({ kind: 'changeMembership', requestId, voters: change.voters, learners: change.learners, nowUs: this.nowUs, monoUs: this.monoUs }, out);
  }

  /** A joiner's periodic request to every other process it knows of, until it is a voter. */
  private askToJoin(out: ReplicaEffect[]): void {
    const view = this.core?.inspect() ?? null;
    if (!this.joining || view === null) return;
    if (view.config.voters.includes(this.raftId) && view.config.votersOld === null) {
      this.joining = false;
      out.push({ kind: 'note', event: 'joined', fields: { raftId: this.raftId } });
      return;
    }
    const known = new Set([...this.config.initialVoters, ...view.config.voters, ...view.config.learners].map(processOf));
    known.delete(this.id);
    for (const process of [...known].sort()) out.push({ kind: 'send', to: process, message: { type: 'replica.join', id: this.raftId } });
    out.push({ kind: 'setTimer', name: JOIN_TIMER, atLocalUs: this.nowUs + JOIN_EVERY_US });
  }

  /** Decides who this replica is once storage has recovered, and starts the core as that member. */
  private recoveredAs(state: DurableState, identity: string | null, out: ReplicaEffect[]): void {
    if (this.identity === null) return this.startCore(state, out); // legacy: always the process name
    if (identity !== null) {
      this.raftId = identity;
      // A rejoined identity keeps asking until it is a voter (it may have crashed before that).
      this.joining = identity !== this.id;
      return this.startCore(state, out);
    }
    const empty = state.term === 0 && state.votedFor === null && state.commitIndex === 0 && state.snapshot === null && state.entries.length === 0;
    // A disk with Raft state but no identity file predates identity files: it is its process's member.
    if (!empty) return this.startCore(state, out);
    const raftId = this.identity.bootstrap ? this.id : freshIdentity(this.id, this.random);
    this.joining = !this.identity.bootstrap;
    this.awaitingIdentity = state;
    out.push({ kind: 'note', event: 'identityChosen', fields: { raftId, reason: this.joining ? 'empty disk, not bootstrapping: a new member' : 'bootstrap' } });
    this.absorb(this.storage.writeIdentity(raftId), out);
  }

  // --- requests from the environment ---------------------------------------------------------

  private request(request: ReplicaRequest, out: ReplicaEffect[]): void {
    if (this.core === null) {
      if (request.kind !== 'transferLeadership') out.push(answer({ requestId: request.requestId, outcome: 'dropped', reason: 'recovering' }));
      return;
    }
    const { nowUs, monoUs } = this;
    switch (request.kind) {
      case 'propose':
        return this.drive({ kind: 'propose', requestId: request.requestId, data: request.data, nowUs, monoUs }, out);
      case 'read':
        return this.drive({ kind: 'read', requestId: request.requestId, mode: request.mode, nowUs, monoUs }, out);
      case 'changeMembership':
        return this.drive({ kind: 'changeMembership', requestId: request.requestId, voters: request.voters, learners: request.learners, nowUs, monoUs }, out);
      case 'transferLeadership':
        return this.drive({ kind: 'transferLeadership', to: request.to, nowUs, monoUs }, out);
    }
  }

  // --- the core ------------------------------------------------------------------------------

  /** Steps the core with an input and everything it leads to, translating effects as it goes. */
  private drive(first: RaftInput, out: ReplicaEffect[]): void {
    const core = this.core;
    assert(core !== null, 'drive before recovery');
    this.view = null;
    const queue: RaftInput[] = [first];
    for (let n = 0; queue.length > 0; n++) {
      assert(n < CORE_INPUTS_PER_STEP_MAX, 'replica: core inputs per step exceed their bound');
      const result = core.step(queue.shift() as RaftInput);
      for (const event of result.events) out.push(noteOf(event));
      for (const effect of result.effects) this.execute(effect, out, queue);
    }
  }

  private execute(effect: RaftEffect, out: ReplicaEffect[], queue: RaftInput[]): void {
    switch (effect.kind) {
      case 'send':
        return this.sendRaft(effect.to, effect.message, out);
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
        queue.push({ kind: 'snapshotTaken', lastIndex: effect.upToIndex, lastTerm: term, data: this.machine.snapshot(), nowUs: this.nowUs, monoUs: this.monoUs });
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

  /** Starts the Raft core as this.raftId from the recovered state. */
  private startCore(state: DurableState, out: ReplicaEffect[]): void {
    const core = new RaftNode(this.raftId, this.config, state, this.random);
    this.core = core;
    this.view = null;
    const snapshot = state.snapshot;
    if (snapshot !== null) this.machine.restore(snapshot.data);
    this.appliedIndex = snapshot?.meta.lastIndex ?? 0;
    out.push({ kind: 'note', event: 'recovered', fields: { term: state.term, entries: state.entries.length, snapshotIndex: this.appliedIndex, raftId: this.raftId } });
    this.drive({ kind: 'start', nowUs: this.nowUs, monoUs: this.monoUs }, out);
    if (this.joining) this.askToJoin(out);
  }

  /** Carries out what storage asked for; completions become core inputs (queued, or driven now). */
  private absorb(result: StorageOutput, out: ReplicaEffect[], queue: RaftInput[] | null = null): void {
    // Indexed loops: this runs at every disk completion, and for-of here kept an iterator per list.
    for (let i = 0; i < result.notes.length; i++) {
      const note = result.notes[i] as StorageOutput['notes'][number];
      out.push({ kind: 'note', event: note.event, fields: note.fields });
    }
    for (let i = 0; i < result.disk.length; i++) {
      const { opId, op } = result.disk[i] as StorageOutput['disk'][number];
      out.push({ kind: 'disk', opId, op });
    }
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
      assert(this.core === null && this.awaitingIdentity === null, 'recovered twice');
      this.recoveredAs(result.recovered, result.identity, out);
    }
    if (result.identityWritten !== null) {
      const state = this.awaitingIdentity;
      assert(state !== null && this.core === null, 'an identity written with no recovery waiting for it');
      this.awaitingIdentity = null;
      this.raftId = result.identityWritten;
      this.startCore(state, out);
    }
    // Most completions end nothing (one of a round's several operations): no list of inputs then.
    if (result.persisted.length === 0 && result.failed.length === 0) return;
    const inputs: RaftInput[] = [];
    for (const syncId of result.persisted) inputs.push({ kind: 'persisted', syncId, nowUs: this.nowUs, monoUs: this.monoUs });
    for (const { syncId, reason } of result.failed) inputs.push({ kind: 'persistFailed', syncId, reason, nowUs: this.nowUs, monoUs: this.monoUs });
    if (inputs.length === 0) return;
    if (queue !== null) queue.push(...inputs);
    else for (const input of inputs) this.drive(input, out);
  }
}

/** Shared by every drain that finds nothing; never written (readonly, and not frozen: frozen arrays take slower paths). */
const NOTHING_APPLIED: readonly LogEntry[] = [];

function answer(outcome: ReplicaOutcome): ReplicaEffect {
  return { kind: 'output', output: outcome };
}

/** A core event as a trace note: scalar fields as they are, a configuration as text. */
function noteOf(event: RaftEvent): ReplicaEffect {
  const fields: Record<string, string | number | boolean | null> = {};
  // for-in visits the same keys in the same order as Object.entries (events are plain objects),
  // without building an array of pairs per event: a note per Raft event is a hot path.
  for (const key in event) {
    if (key === 'type') continue;
    const value = (event as unknown as Record<string, unknown>)[key];
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
