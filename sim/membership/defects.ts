// Planted defects for the SWIM system: ways to break a member on purpose so that tests can show
// the checks fail when they should. A defect wraps a correct member from the outside (src/ stays
// untouched) or runs members with a configuration the checks do not judge against. Never used
// unless a test or a run asks for it by name.

import type { HostEffect, HostInput, NodeId, Process } from '../../src/host/contract';
import type { SwimConfig } from '../../src/membership/config';
import { isSwimMessage, type MemberUpdate, type SwimMessage } from '../../src/membership/types';
import { unreachable } from '../../src/util/assert';

export type SwimDefect =
  /** The listed members never hear that they are accused, so they never refute. */
  | { readonly kind: 'never-refutes'; readonly members: readonly NodeId[] }
  /**
   * Members run `config` overridden by this, while the checks derive their bounds from the
   * system's configuration: a misconfigured deployment (e.g. a longer suspicion timeout).
   */
  | { readonly kind: 'member-config'; readonly override: Partial<SwimConfig> };

/** The configuration members of this system run with. */
export function memberConfig(config: SwimConfig, defect: SwimDefect | undefined): SwimConfig {
  return defect?.kind === 'member-config' ? { ...config, ...defect.override } : config;
}

/**
 * The member's process (a SwimProcess, or a node composing a member) with the defect applied: the
 * process itself when the defect is elsewhere. Only SWIM's messages are ever touched.
 */
export function withDefect<M, X, O>(id: NodeId, process: Process<M, X, O>, defect: SwimDefect | undefined): Process<M, X, O> {
  if (defect === undefined) return process;
  switch (defect.kind) {
    case 'member-config':
      return process;
    case 'never-refutes':
      if (!defect.members.includes(id)) return process;
      return {
        step: (input: HostInput<M, X>): HostEffect<M, O>[] =>
          process.step(
            input.kind === 'message' && isSwimMessage(input.message as { type: string })
              ? { ...input, message: withoutAccusationsOf(id, input.message as unknown as SwimMessage) as unknown as M }
              : input,
          ),
      };
    default:
      return unreachable(defect, 'swim defect');
  }
}

/** The message without any update that says `id` is suspect, dead or left. */
function withoutAccusationsOf(id: NodeId, message: SwimMessage): SwimMessage {
  const keep = (u: MemberUpdate): boolean => u.member !== id || u.status === 'alive';
  if (message.type === 'sync') return { ...message, states: message.states.filter(keep) };
  return { ...message, updates: message.updates.filter(keep) };
}
