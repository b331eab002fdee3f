// The optional removal of long-dead voters (off by default): a leader proposes, through Raft's
// joint consensus, to drop from the configuration a voter its failure detector has held dead (or
// gone) for longer than a limit. The view only informs elsewhere; here, by the operator's choice,
// it may start a membership change, so the rule is kept narrow and safe:
//   - only a leader proposes, and never its own removal;
//   - one change at a time: nothing while the configuration is joint or a proposal is in flight;
//   - never below `minVoters` voters (a cluster that has shrunk to its floor waits for an operator);
//   - bounded: at most one proposal per `retryEveryUs` (a refused or lost one is retried no sooner).
// A voter wrongly held dead (a partition) is removed safely all the same: joint consensus keeps
// every quorum overlapping; it costs redundancy, which `minVoters` bounds. Pure: inputs in, a
// proposal (or none) out.

import type { NodeId } from '../host/contract';
import type { Configuration, Role } from '../raft/types';
import { assert } from '../util/assert';

export interface RemovalPolicy {
  /** A voter held dead or gone at least this long (local microseconds) is proposed for removal. */
  readonly deadLongerThanUs: number;
  /** The fewest voters a removal may leave. At least 1. */
  readonly minVoters: number;
  /** The least time between two proposals of this node. */
  readonly retryEveryUs: number;
}

/** Each problem of a policy, naming the field (empty when it is sound). */
export function validateRemovalPolicy(policy: RemovalPolicy): string[] {
  const errors: string[] = [];
  const positive = (name: keyof RemovalPolicy, min: number): void => {
    const v = policy[name];
    if (!Number.isSafeInteger(v) || v < min) errors.push(`removal.${name}: expected an integer >= ${min}, got ${v}`);
  };
  positive('deadLongerThanUs', 1);
  positive('minVoters', 1);
  positive('retryEveryUs', 1);
  return errors;
}

export interface RemovalInputs {
  readonly self: NodeId;
  readonly role: Role;
  /** The configuration the node acts on (the latest in its log). */
  readonly config: Configuration;
  /** Whether that configuration is not yet committed (a change is still under way). */
  readonly configPending: boolean;
  /** Members the failure detector has held dead or gone for at least the policy's limit, sorted. */
  readonly deadLongEnough: readonly NodeId[];
  /** Whether an earlier removal proposal of this node is still waiting for its outcome. */
  readonly proposalInFlight: boolean;
  readonly nowUs: number;
  /** When this node last proposed a removal (local clock), or null. */
  readonly lastProposalUs: number | null;
}

export interface RemovalProposal {
  readonly remove: NodeId;
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

/** The removal to propose now, or null. */
export function removalProposal(policy: RemovalPolicy, input: RemovalInputs): RemovalProposal | null {
  assert(validateRemovalPolicy(policy).length === 0, 'removal policy must be valid');
  const { config } = input;
  if (input.role !== 'leader' || config.votersOld !== null || input.configPending || input.proposalInFlight) return null;
  if (input.lastProposalUs !== null && input.nowUs - input.lastProposalUs < policy.retryEveryUs) return null;
  if (config.voters.length - 1 < policy.minVoters) return null;
  const remove = input.deadLongEnough.find((id) => id !== input.self && config.voters.includes(id));
  if (remove === undefined) return null;
  const voters = config.voters.filter((v) => v !== remove);
  assert(voters.length >= policy.minVoters && voters.includes(input.self), 'a removal keeps the floor and the leader');
  return { remove, voters, learners: config.learners.filter((l) => l !== remove) };
}
