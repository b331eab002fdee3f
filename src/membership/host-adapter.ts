// Runs a SwimMember as a host Process (src/host/contract): maps host inputs to SWIM inputs and
// SWIM effects to host effects, so a simulator or a real host can run gossip on its own before
// it is composed into the cache node. Adds no behaviour of its own and must never hold state
// beyond the member it wraps.
//
//   host 'start'                -> SWIM 'join' (a restarted process rejoins with no memory)
//   host 'external' join/leave  -> SWIM 'join' / 'leave'
//   host 'timer' swim.*         -> SWIM 'timerFired'
//   SWIM 'event'                -> host 'note' { event: type, fields: the rest }

import type { HostEffect, HostInput, NoteFields, Process } from '../host/contract';
import { assert, unreachable } from '../util/assert';
import type { SwimMember } from './swim';
import type { SwimEffect, SwimInput, SwimMessage, SwimTimer } from './types';

/** Requests from the environment: make the member join or leave gracefully. */
export type SwimControl = { readonly op: 'join' } | { readonly op: 'leave' };

const swimTimers: ReadonlySet<string> = new Set<SwimTimer>(['swim.probe', 'swim.probeTimeout', 'swim.suspicion', 'swim.relay']);

export class SwimProcess implements Process<SwimMessage, SwimControl> {
  readonly member: SwimMember;

  constructor(member: SwimMember) {
    this.member = member;
  }

  step(input: HostInput<SwimMessage, SwimControl>): HostEffect<SwimMessage>[] {
    const swimInput = toSwimInput(input);
    if (swimInput === null) return [];
    return this.member.step(swimInput).map(toHostEffect);
  }
}

function toSwimInput(input: HostInput<SwimMessage, SwimControl>): SwimInput | null {
  switch (input.kind) {
    case 'start':
      return { kind: 'join', nowUs: input.nowUs };
    case 'timer':
      // Timers this member did not set belong to someone else in a composed node.
      if (!swimTimers.has(input.name)) return null;
      return { kind: 'timerFired', timer: input.name as SwimTimer, nowUs: input.nowUs };
    case 'message':
      return { kind: 'message', from: input.from, message: input.message, nowUs: input.nowUs };
    case 'external':
      return { kind: input.request.op, nowUs: input.nowUs };
    case 'disk':
      assert(false, 'a SWIM member issues no disk operations, so it cannot get a completion');
      return null;
    default:
      return unreachable(input, 'host input');
  }
}

function toHostEffect(effect: SwimEffect): HostEffect<SwimMessage> {
  switch (effect.kind) {
    case 'send':
      return effect;
    case 'setTimer':
      return { kind: 'setTimer', name: effect.timer, atLocalUs: effect.atLocalUs };
    case 'event': {
      const { type, ...fields } = effect.event;
      return { kind: 'note', event: type, fields: fields as NoteFields };
    }
    default:
      return unreachable(effect, 'swim effect');
  }
}
