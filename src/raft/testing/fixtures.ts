// Test-only builders for the Raft core's unit tests: logs from a list of terms, durable states,
// single nodes fed inputs by hand, and filters over effects. Nothing here is used by product code,
// and it must never read real time or real randomness.

import { assert } from '../../util/assert';
import { defaultRaftConfig } from '../config';
import type { RaftConfig } from '../config';
import { RaftNode } from '../node';
import type { DurableState, LogEntry, NodeId, RaftEffect, RaftInput, RaftMessage } from '../types';
import { SeededRandom } from './random';

/** Command entries from index `first` with the given terms; payload "i@t". */
export function entriesOfTerms(terms: readonly number[], first = 1): LogEntry[] {
  return terms.map((term, i) => ({ index: first + i, term, kind: 'command' as const, data: new TextEncoder().encode(`${first + i}@${term}`), config: null }));
}

export function durable(over: Partial<DurableState> = {}): DurableState {
  return { term: 0, votedFor: null, commitIndex: 0, snapshot: null, entries: [], ...over };
}

export function makeNode(id: NodeId, voters: readonly NodeId[], state: DurableState = durable(), over: Partial<RaftConfig> = {}, seed = 7): RaftNode {
  return new RaftNode(id, defaultRaftConfig(voters, over), state, new SeededRandom(seed));
}

type Input = RaftInput extends infer I ? (I extends { nowUs: number } ? Omit<I, 'nowUs'> : never) : never;

/** Steps a node at local time nowUs and returns only its effects. */
export function feed(node: RaftNode, nowUs: number, input: Input): RaftEffect[] {
  return node.step({ ...input, nowUs } as RaftInput).effects;
}

export function sent(effects: readonly RaftEffect[], type?: RaftMessage['type']): { to: NodeId; message: RaftMessage }[] {
  const out: { to: NodeId; message: RaftMessage }[] = [];
  for (const e of effects) if (e.kind === 'send' && (type === undefined || e.message.type === type)) out.push({ to: e.to, message: e.message });
  return out;
}

export function ofKind<K extends RaftEffect['kind']>(effects: readonly RaftEffect[], kind: K): Extract<RaftEffect, { kind: K }>[] {
  return effects.filter((e): e is Extract<RaftEffect, { kind: K }> => e.kind === kind);
}

/** Completes every persistence effect in `effects`, in order, and returns all effects that result. */
export function persistAll(node: RaftNode, nowUs: number, effects: readonly RaftEffect[]): RaftEffect[] {
  const out: RaftEffect[] = [];
  const queue = [...effects];
  for (let k = 0; k < 10_000 && queue.length > 0; k++) {
    const e = queue.shift();
    assert(e !== undefined, 'fixtures: effect');
    if (e.kind === 'persistState' || e.kind === 'appendLog' || e.kind === 'saveSnapshot') {
      const more = feed(node, nowUs, { kind: 'persisted', syncId: e.syncId });
      out.push(...more);
      queue.push(...more);
    }
  }
  return out;
}

export function logTerms(node: RaftNode): number[] {
  return node.inspect().log.map((e) => e.term);
}
