// The data a SWIM member exchanges with its host: inputs, effects, wire messages, trace events
// and the membership view. Plain objects only, so a host can copy, log or serialise them.
// This file must never hold behaviour or import anything that does I/O.

import type { NodeId } from '../host/contract';

// ---------------------------------------------------------------------------------------------
// Member states and the updates that gossip them

/** What a member believes about another member (or itself). */
export type MemberStatus = 'alive' | 'suspect' | 'dead' | 'left';

/**
 * One piece of gossip: "member is in status at incarnation". `by` names the member that first
 * produced it (the suspecter, the confirmer, or the member itself for alive/left); Lifeguard
 * counts distinct `by` of suspect updates as independent confirmations.
 */
export interface MemberUpdate {
  readonly member: NodeId;
  readonly status: MemberStatus;
  readonly incarnation: number;
  readonly by: NodeId;
}

// ---------------------------------------------------------------------------------------------
// Wire messages. Every message carries at most `piggybackMax` updates and a sync at most
// `membersMax` states, so a message's size is bounded by the configuration.

export type SwimMessage =
  /** Direct probe. `target` is the member the sender means to reach (it must be the receiver). */
  | { readonly type: 'ping'; readonly seq: number; readonly target: NodeId; readonly updates: readonly MemberUpdate[] }
  /** Answer to a ping, or a relay forwarding the target's answer to the original prober. */
  | { readonly type: 'ack'; readonly seq: number; readonly target: NodeId; readonly updates: readonly MemberUpdate[] }
  /** Ask the receiver to probe `target` on the sender's behalf (indirect probe). */
  | { readonly type: 'pingReq'; readonly seq: number; readonly target: NodeId; readonly updates: readonly MemberUpdate[] }
  /** Lifeguard: a relay could not reach `target` in time; the prober should not blame itself. */
  | { readonly type: 'nack'; readonly seq: number; readonly target: NodeId; readonly updates: readonly MemberUpdate[] }
  /**
   * Push-pull anti-entropy: the sender's whole table. Used to join (sent to the seeds) and
   * periodically to heal partitions. `reply` asks the receiver to answer with its own table.
   */
  | { readonly type: 'sync'; readonly reply: boolean; readonly states: readonly MemberUpdate[] };

const SWIM_MESSAGE_TYPES: ReadonlySet<string> = new Set<SwimMessage['type']>(['ping', 'ack', 'pingReq', 'nack', 'sync']);

/** Whether a message of a composed node (Raft, clients, gossip) is one of SWIM's. */
export function isSwimMessage(message: { readonly type: string }): message is SwimMessage {
  return SWIM_MESSAGE_TYPES.has(message.type);
}

// ---------------------------------------------------------------------------------------------
// Inputs and effects

/** The timers a member sets. Each name has at most one pending deadline (setTimer replaces). */
export type SwimTimer = 'swim.probe' | 'swim.probeTimeout' | 'swim.suspicion' | 'swim.relay';

/** Every input carries the member's LOCAL clock reading, integer microseconds. */
export type SwimInput =
  | { readonly kind: 'timerFired'; readonly timer: SwimTimer; readonly nowUs: number }
  | { readonly kind: 'message'; readonly from: NodeId; readonly message: SwimMessage; readonly nowUs: number }
  /** Start (or restart after a leave) taking part: announce self to the initial members, start probing. */
  | { readonly kind: 'join'; readonly nowUs: number }
  /** Graceful leave: tell the members, stop probing and answering. */
  | { readonly kind: 'leave'; readonly nowUs: number };

export type SwimEffect =
  | { readonly kind: 'send'; readonly to: NodeId; readonly message: SwimMessage }
  /** Set or replace the timer of this name; it fires when the local clock reads atLocalUs. */
  | { readonly kind: 'setTimer'; readonly timer: SwimTimer; readonly atLocalUs: number }
  /** A fact for the trace. Never needed for behaviour. */
  | { readonly kind: 'event'; readonly event: SwimEvent };

/**
 * Trace events. Fields are flat primitives so a host can turn one into a trace note directly:
 * `{ event: e.type, fields: everything else }`.
 */
export type SwimEvent =
  | { readonly type: 'memberJoined'; readonly member: NodeId; readonly incarnation: number }
  | { readonly type: 'memberSuspected'; readonly member: NodeId; readonly incarnation: number; readonly by: NodeId; readonly phi: number }
  | { readonly type: 'suspicionConfirmed'; readonly member: NodeId; readonly incarnation: number; readonly by: NodeId; readonly confirmations: number }
  | { readonly type: 'memberConfirmedDead'; readonly member: NodeId; readonly incarnation: number; readonly by: NodeId }
  | { readonly type: 'memberAlive'; readonly member: NodeId; readonly incarnation: number; readonly reason: 'refuted' | 'rejoined' }
  | { readonly type: 'memberLeft'; readonly member: NodeId; readonly incarnation: number }
  | { readonly type: 'memberRejected'; readonly member: NodeId; readonly reason: 'membersFull' }
  | { readonly type: 'memberEvicted'; readonly member: NodeId; readonly status: MemberStatus }
  | { readonly type: 'probeTimedOut'; readonly member: NodeId; readonly seq: number; readonly phi: number; readonly nacks: number }
  | { readonly type: 'indirectProbe'; readonly member: NodeId; readonly seq: number; readonly helpers: number }
  | { readonly type: 'refuted'; readonly incarnation: number; readonly accusation: MemberStatus; readonly by: NodeId }
  | { readonly type: 'localHealthChanged'; readonly score: number }
  | { readonly type: 'relayDropped'; readonly target: NodeId; readonly requester: NodeId };

// ---------------------------------------------------------------------------------------------
// The view the node and the client read

export interface MemberView {
  readonly id: NodeId;
  readonly status: MemberStatus;
  readonly incarnation: number;
  /** Phi-accrual suspicion level from the acks this member received; 0 for self or without data. */
  readonly phi: number;
  /** Local time at which the current status began (for dead/left: when this member learnt it). */
  readonly sinceUs: number;
}
