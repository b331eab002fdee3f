// Test-only helpers for transcript-style tests: drive one SwimMember by hand and pick effects
// apart. Never used by product code.

import type { NodeId } from '../../host/contract';
import type { Random } from '../../util/random';
import type { SwimConfig } from '../config';
import { defaultSwimConfig } from '../config';
import { SwimMember } from '../swim';
import type { MemberUpdate, SwimEffect, SwimEvent, SwimMessage, SwimTimer } from '../types';
import { lowestRandom } from './random';

/** Defaults with periodic sync off, so transcripts see only the rule under test. */
export const transcriptConfig: SwimConfig = { ...defaultSwimConfig, syncEveryPeriods: 0 };

export type Sent = { readonly to: NodeId; readonly message: SwimMessage };

export class Transcript {
  readonly member: SwimMember;
  /** Every effect so far, in order. */
  readonly log: SwimEffect[] = [];
  /** The latest deadline set for each timer. */
  readonly timers = new Map<SwimTimer, number>();
  last: SwimEffect[] = [];

  constructor(self: NodeId, peers: readonly NodeId[], config: SwimConfig = transcriptConfig, random: Random = lowestRandom()) {
    this.member = new SwimMember(self, config, peers, random);
  }

  join(nowUs: number): SwimEffect[] {
    return this.record(this.member.step({ kind: 'join', nowUs }));
  }

  leave(nowUs: number): SwimEffect[] {
    return this.record(this.member.step({ kind: 'leave', nowUs }));
  }

  fire(timer: SwimTimer, nowUs?: number): SwimEffect[] {
    const at = nowUs ?? this.timers.get(timer);
    if (at === undefined) throw new Error(`timer ${timer} was never set`);
    return this.record(this.member.step({ kind: 'timerFired', timer, nowUs: at }));
  }

  receive(from: NodeId, message: SwimMessage, nowUs: number): SwimEffect[] {
    return this.record(this.member.step({ kind: 'message', from, message, nowUs }));
  }

  sends(effects: readonly SwimEffect[] = this.last): Sent[] {
    const out: Sent[] = [];
    for (const e of effects) if (e.kind === 'send') out.push({ to: e.to, message: e.message });
    return out;
  }

  events(effects: readonly SwimEffect[] = this.last): SwimEvent[] {
    const out: SwimEvent[] = [];
    for (const e of effects) if (e.kind === 'event') out.push(e.event);
    return out;
  }

  /** The one ping sent by the last step (throws when there is not exactly one). */
  ping(effects: readonly SwimEffect[] = this.last): Sent & { readonly seq: number } {
    const pings = this.sends(effects).filter((s) => s.message.type === 'ping');
    if (pings.length !== 1) throw new Error(`expected one ping, got ${pings.length}`);
    const p = pings[0]!;
    if (p.message.type !== 'ping') throw new Error('unreachable');
    return { ...p, seq: p.message.seq };
  }

  private record(effects: SwimEffect[]): SwimEffect[] {
    for (const e of effects) if (e.kind === 'setTimer') this.timers.set(e.timer, e.atLocalUs);
    this.log.push(...effects);
    this.last = effects;
    return effects;
  }
}

export function update(member: NodeId, status: MemberUpdate['status'], incarnation: number, by: NodeId = member): MemberUpdate {
  return { member, status, incarnation, by };
}

export function ack(seq: number, target: NodeId, updates: readonly MemberUpdate[] = []): SwimMessage {
  return { type: 'ack', seq, target, updates };
}

export function gossip(updates: readonly MemberUpdate[]): SwimMessage {
  return { type: 'sync', reply: false, states: updates };
}
