// The online recorder of a SWIM cluster in the simulated world: after every step it records each
// change in any member's view (status and incarnation of every member it knows, itself included)
// with the true time, and it records every probe tick, so the checks can count protocol periods.
// It only reads: it must never change what a member does or when. It watches a SwimProcess on
// its own (the swim system) or the member inside a composed process (the cache node, whose other
// inputs are Raft and client traffic that cannot change the view: those steps are never diffed).
//
// Diffing every view after every step would cost O(n) phi evaluations per step. A member's view
// (status, incarnation) can only change in a step that (a) starts or controls it, (b) brings it
// gossip (a message with updates or a sync), or (c) makes it emit a trace note (suspicion,
// death and eviction always emit one). Only those steps are diffed; `diffEveryStep` turns the
// shortcut off, and a test proves both give the same record.

import type { HostEffect, HostInput, NodeId, Process } from '../../src/host/contract';
import type { SwimMember } from '../../src/membership/swim';
import { isSwimMessage, type MemberStatus, type SwimMessage } from '../../src/membership/types';
import { assert } from '../../src/util/assert';

/** What an observer believes about a subject; 'unknown' when the subject is not in its table. */
export type ViewStatus = MemberStatus | 'unknown';

/** One change in one member's view. observer === subject is the member's view of itself. */
export interface ViewChange {
  readonly trueUs: number;
  readonly observer: NodeId;
  readonly subject: NodeId;
  readonly status: ViewStatus;
  readonly incarnation: number;
}

/** A bound on recorded view changes: a run producing more is churning without end. */
export const VIEW_CHANGES_MAX = 5_000_000;

export class SwimRecorder {
  /** Every view change, in true-time order. */
  readonly changes: ViewChange[] = [];
  /** The true times of each member's probe ticks, every instance, in order. */
  readonly ticks = new Map<NodeId, number[]>();

  private readonly members = new Map<NodeId, SwimMember>();
  private readonly last = new Map<NodeId, Map<NodeId, { status: ViewStatus; incarnation: number }>>();
  private readonly dirty: NodeId[] = [];
  private readonly dirtySet = new Set<NodeId>();

  constructor(
    servers: readonly NodeId[],
    private readonly diffEveryStep: boolean = false,
  ) {
    for (const id of servers) {
      this.ticks.set(id, []);
      this.last.set(id, new Map());
    }
  }

  /** The process the world runs for `id`: `inner` (a SwimProcess around `member`, or a process composing it), watched. */
  wrap<M, X, O>(id: NodeId, member: SwimMember, inner: Process<M, X, O>, nowUs: () => number): Process<M, X, O> {
    const ticks = this.ticks.get(id);
    assert(ticks !== undefined, `recorder: unknown server ${id}`);
    assert(member.selfId === id, 'recorder: member id mismatch');
    this.members.set(id, member);
    this.markDirty(id);
    return {
      step: (input: HostInput<M, X>): HostEffect<M, O>[] => {
        if (input.kind === 'timer' && input.name === 'swim.probe') ticks.push(nowUs());
        const effects = inner.step(input);
        if (this.diffEveryStep || mayChangeView(input, effects)) this.markDirty(id);
        return effects;
      },
    };
  }

  /** Called after every world step: records what changed in the views of the members that stepped. */
  observe(nowUs: number, isUp: (id: NodeId) => boolean): void {
    // Most steps leave every view alone: then there is nothing to clear (Set.clear allocates a table).
    if (this.dirty.length === 0) return;
    for (let i = 0; i < this.dirty.length; i++) {
      const id = this.dirty[i] as NodeId;
      if (isUp(id)) this.diff(id, nowUs);
    }
    this.dirty.length = 0;
    this.dirtySet.clear();
  }

  private markDirty(id: NodeId): void {
    if (this.dirtySet.has(id)) return;
    this.dirtySet.add(id);
    this.dirty.push(id);
  }

  private diff(id: NodeId, nowUs: number): void {
    const member = this.members.get(id);
    const known = this.last.get(id);
    assert(member !== undefined && known !== undefined, `recorder: no member for ${id}`);
    const seen = new Set<NodeId>();
    // Statuses and incarnations only: the phi values view() computes are not recorded.
    for (const v of member.statuses()) {
      seen.add(v.id);
      this.note(known, nowUs, id, v.id, v.status, v.incarnation);
    }
    // Subjects the (possibly restarted) member no longer knows: sorted, for a stable record.
    const gone = [...known.keys()].filter((s) => !seen.has(s)).sort();
    for (const subject of gone) this.note(known, nowUs, id, subject, 'unknown', 0);
  }

  private note(known: Map<NodeId, { status: ViewStatus; incarnation: number }>, trueUs: number, observer: NodeId, subject: NodeId, status: ViewStatus, incarnation: number): void {
    const before = known.get(subject);
    if (before !== undefined && before.status === status && before.incarnation === incarnation) return;
    if (before === undefined && status === 'unknown') return;
    assert(this.changes.length < VIEW_CHANGES_MAX, 'recorder: too many view changes');
    known.set(subject, { status, incarnation });
    this.changes.push({ trueUs, observer, subject, status, incarnation });
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Whether a step could have changed the member's view (see the header). Only SWIM's own inputs
 * (its messages and its `swim.*` timers) and a start or an operator's request can; a composed
 * node's Raft and client steps emit notes of their own, which say nothing about the view.
 */
function mayChangeView<M, X, O>(input: HostInput<M, X>, effects: readonly HostEffect<M, O>[]): boolean {
  if (input.kind === 'start' || input.kind === 'external') return true;
  if (input.kind === 'message') {
    const message = input.message as unknown as SwimMessage;
    if (!isSwimMessage(message)) return false;
    if (carriesGossip(message)) return true;
  } else if (input.kind !== 'timer' || !input.name.startsWith('swim.')) {
    return false;
  }
  for (let i = 0; i < effects.length; i++) if ((effects[i] as HostEffect<M, O>).kind === 'note') return true;
  return false;
}

function carriesGossip(message: SwimMessage): boolean {
  const list: unknown = message.type === 'sync' ? message.states : message.updates;
  return !Array.isArray(list) || list.length > 0;
}
