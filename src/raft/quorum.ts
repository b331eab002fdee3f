// Quorum arithmetic over a (possibly joint) configuration: the value a majority has reached
// (commit index, acknowledged round) and election tallies. In the joint configuration C_old,new
// both majorities are required (thesis §4.3). Pure functions; never mutates its arguments.

import { assert } from '../util/assert';
import type { Configuration, NodeId } from './types';

export type VoteOutcome = 'won' | 'lost' | 'pending';

/** The largest value v such that a majority of `ids` report >= v. */
export function majorityValue(ids: readonly NodeId[], valueOf: (id: NodeId) => number): number {
  assert(ids.length > 0, 'quorum: a voter set is never empty');
  // Descending, by insertion: voter sets are small (quadratic in their size at worst) and this runs
  // on every acknowledgement a leader receives, where a sort with a comparator cost more.
  const values: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const x = valueOf(ids[i] as NodeId);
    let j = i;
    while (j > 0 && (values[j - 1] as number) < x) {
      values[j] = values[j - 1] as number;
      j--;
    }
    values[j] = x;
  }
  const v = values[Math.floor(ids.length / 2)];
  assert(v !== undefined, 'quorum: majority position exists');
  return v;
}

/** The largest value a quorum of the configuration has reached (both majorities when joint). */
export function quorumValue(config: Configuration, valueOf: (id: NodeId) => number): number {
  const v = majorityValue(config.voters, valueOf);
  if (config.votersOld === null) return v;
  return Math.min(v, majorityValue(config.votersOld, valueOf));
}

function tallyOne(ids: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteOutcome {
  let granted = 0;
  let rejected = 0;
  for (const id of ids) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  const need = Math.floor(ids.length / 2) + 1;
  if (granted >= need) return 'won';
  if (ids.length - rejected < need) return 'lost';
  return 'pending';
}

export function tally(config: Configuration, votes: ReadonlyMap<NodeId, boolean>): VoteOutcome {
  const a = tallyOne(config.voters, votes);
  if (config.votersOld === null) return a;
  const b = tallyOne(config.votersOld, votes);
  if (a === 'lost' || b === 'lost') return 'lost';
  if (a === 'won' && b === 'won') return 'won';
  return 'pending';
}

export function isVoter(config: Configuration, id: NodeId): boolean {
  return config.voters.includes(id) || (config.votersOld !== null && config.votersOld.includes(id));
}

/** Every node that takes part in replication (voters old and new, learners), sorted, without duplicates. */
export function members(config: Configuration): NodeId[] {
  const all = new Set<NodeId>([...config.voters, ...(config.votersOld ?? []), ...config.learners]);
  return [...all].sort();
}

export function isJoint(config: Configuration): boolean {
  return config.votersOld !== null;
}
