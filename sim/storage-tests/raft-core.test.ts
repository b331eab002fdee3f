// Storage under the real Raft core: a single-voter node elects itself, commits proposals, takes
// snapshots and compacts, with every persistence effect going through RaftStorage to the
// simulated disk and every completion fed back in order (the core asserts that order). The power
// fails after disk operation k for every k; the node is rebuilt from what storage recovers, and
// every entry it had applied before the crash must still be there, in the snapshot or the log.

import { describe, expect, it } from 'vitest';
import { RaftNode } from '../../src/raft/node';
import { defaultRaftConfig } from '../../src/raft/config';
import { SeededRandom } from '../../src/raft/testing/random';
import type { DurableState, LogEntry, RaftEffect, RaftInput } from '../../src/raft/types';
import type { StorageDriver } from '../../src/storage/testing/driver';
import type { SimDisk } from '../disk/disk';
import { driverOn, makeSimDisk } from './workload';

interface Run {
  /** index -> payload text of every entry the node applied (committed) before the power failed. */
  applied: Map<number, string>;
  opsExecuted: number;
  halted: boolean;
}

const PROPOSALS = 24;

function boot(disk: SimDisk, opsLimit: number): { driver: StorageDriver; state: DurableState | null } {
  const driver = driverOn(disk, opsLimit).start();
  return { driver, state: driver.recovered };
}

/** Runs a single-node cluster through `driver` until it settles or the driver's disk stops. */
function runNode(state: DurableState, driver: StorageDriver, firstPayload: number): Run {
  const node = new RaftNode('n1', defaultRaftConfig(['n1'], { snapshotThresholdEntries: 5 }), state, new SeededRandom(3));
  const applied = new Map<number, string>();
  let nowUs = 1_000;
  let halted = false;
  let ackedSeen = 0;
  const step = (input: RaftInput): void => {
    const effects = node.step(input).effects;
    for (const e of effects) handle(e);
  };
  const handle = (e: RaftEffect): void => {
    if (e.kind === 'persistState' || e.kind === 'appendLog' || e.kind === 'saveSnapshot') driver.persist(e);
    else if (e.kind === 'apply') for (const entry of e.entries) applied.set(entry.index, payload(entry));
    else if (e.kind === 'takeSnapshot') {
      const upTo = e.upToIndex;
      const term = node.inspect().log.find((v) => v.index === upTo)?.term ?? node.inspect().snapshotTerm;
      pending.push({ kind: 'snapshotTaken', lastIndex: upTo, lastTerm: term, data: new TextEncoder().encode(`applied-to-${upTo}`), nowUs });
    } else if (e.kind === 'halt') halted = true;
  };
  const pending: RaftInput[] = [];
  const feedCompletions = (): void => {
    while (ackedSeen < driver.persisted.length) step({ kind: 'persisted', syncId: driver.persisted[ackedSeen++] as number, nowUs });
  };
  step({ kind: 'start', nowUs });
  nowUs += 400_000;
  step({ kind: 'timerFired', timer: 'election', nowUs });
  let proposed = 0;
  // Bound: each iteration delivers a completion or proposes; both are finite.
  for (let guard = 0; guard < 100_000 && !driver.stopped && !halted; guard++) {
    nowUs += 10;
    feedCompletions();
    const input = pending.shift();
    if (input !== undefined) {
      step(input);
      continue;
    }
    if (node.inspect().role === 'leader' && proposed < PROPOSALS && guard % 3 === 0) {
      step({ kind: 'propose', requestId: `r${proposed}`, data: new TextEncoder().encode(`v${firstPayload + proposed}`), nowUs });
      proposed += 1;
      continue;
    }
    if (!driver.deliverOne() && proposed >= PROPOSALS) break;
  }
  feedCompletions();
  return { applied, opsExecuted: driver.opsExecuted, halted };
}

function payload(entry: LogEntry): string {
  return `${entry.term}:${entry.kind}:${new TextDecoder().decode(entry.data)}`;
}

describe('storage under the Raft core', () => {
  const fresh = makeSimDisk('core-full');
  const first = boot(fresh, Number.MAX_SAFE_INTEGER);
  const full = runNode(first.state as DurableState, first.driver, 0);

  it('a clean run commits and applies every proposal, with snapshots taken along the way', () => {
    expect([...full.applied.values()].filter((p) => p.includes(':command:')).length).toBe(PROPOSALS);
    expect(fresh.summary().files.some((f) => f.path.startsWith('snap/'))).toBe(true);
  });

  it(`after a crash at any of the ${full.opsExecuted} disk operations the rebuilt node still holds everything it had applied`, () => {
    for (let k = 1; k <= full.opsExecuted; k++) {
      const disk = makeSimDisk(`core-${k}`);
      // The disk stops after k operations in total, the first recovery's own included.
      const { driver: capped, state } = boot(disk, k);
      if (state === null) continue; // the power failed during the very first recovery
      const run = runNode(state, capped, 0);
      expect(run.halted, `k=${k}`).toBe(false);
      disk.crash({ keepUnsynced: 0.3, tearUnsynced: 0.4 });
      const after = driverOn(disk).start();
      expect(after.failClosed, `k=${k}`).toBeNull();
      const recovered = after.recovered;
      if (recovered === null) throw new Error(`k=${k}: no recovery`);
      const snapIndex = recovered.snapshot?.meta.lastIndex ?? 0;
      for (const [index, text] of run.applied) {
        if (index <= snapIndex) continue;
        const e = recovered.entries[index - snapIndex - 1];
        expect(e === undefined ? null : payload(e), `k=${k}: applied entry ${index}`).toBe(text);
      }
      // And the core accepts what storage recovered.
      const rebuilt = new RaftNode('n1', defaultRaftConfig(['n1'], { snapshotThresholdEntries: 5 }), recovered, new SeededRandom(3));
      expect(rebuilt.inspect().lastLogIndex).toBeGreaterThanOrEqual(Math.max(0, ...run.applied.keys()));
    }
  });
});
