// Crash at every disk operation: a scripted follower workload runs against the simulated disk
// and the power fails after operation k, for every k and for each way a crash can treat unsynced
// writes. Storage then recovers from what the disk kept: the node must start (a crash alone is
// never corruption), every acknowledged vote, term, snapshot and committed entry must be there,
// nothing may appear that was never written, and the recovered storage must go on working.

import { describe, expect, it } from 'vitest';
import { Rng } from '../rng/streams';
import { appendLog, persistState } from '../../src/storage/testing/fixtures';
import {
  CRASH_POLICIES, driverOn, expectKeeps, followerScript, issuedEntries, makeSimDisk, promisesOf, runScript,
} from './workload';

const script = followerScript();
const issued = issuedEntries(script);

function opsOfFullRun(order: 'fifo' | 'shuffled'): number {
  const disk = makeSimDisk('full-run');
  const driver = driverOn(disk, Number.MAX_SAFE_INTEGER, order === 'fifo' ? null : new Rng('order')).start();
  runScript(driver, script);
  expect(driver.persisted).toEqual(script.map((e) => e.syncId));
  return driver.opsExecuted;
}

describe('crash after every disk operation', () => {
  for (const order of ['fifo', 'shuffled'] as const) {
    const totalOps = opsOfFullRun(order);

    for (const { name, policy } of CRASH_POLICIES) {
      it(`loses nothing acknowledged and always restarts (${name}, completions ${order}, ${totalOps} crash points)`, () => {
        let tornTails = 0;
        for (let k = 1; k <= totalOps; k++) {
          const context = `crash after op ${k}`;
          const disk = makeSimDisk(`crash-${k}`);
          const first = driverOn(disk, k, order === 'fifo' ? null : new Rng('order')).start();
          runScript(first, script);
          disk.crash(policy);
          disk.assertInvariants();

          const second = driverOn(disk).start();
          expect(second.failClosed, context).toBeNull();
          expect(second.restart, context).toBeNull();
          const state = second.recovered;
          if (state === null) throw new Error(`${context}: storage did not recover`);
          expectKeeps(state, promisesOf(script, first.persisted), issued, context);
          if (second.notes.some((n) => n.event === 'storage.tornTail')) tornTails += 1;

          // The recovered storage keeps working: append after what it recovered, acknowledge,
          // lose power again with every unsynced write lost, and find the new entry.
          const snapIndex = state.snapshot?.meta.lastIndex ?? 0;
          const lastIndex = snapIndex + state.entries.length;
          const term = Math.max(state.term, state.entries[state.entries.length - 1]?.term ?? 0, 9);
          const next = { index: lastIndex + 1, term, kind: 'command' as const, data: new TextEncoder().encode('after'), config: null };
          second.persist(appendLog(100, [next]));
          second.persist(persistState(101, term, 'n1', state.commitIndex));
          second.pump();
          expect(second.persisted, context).toEqual([100, 101]);
          disk.crash({ keepUnsynced: 0, tearUnsynced: 0 });
          const third = driverOn(disk).start();
          expect(third.failClosed, context).toBeNull();
          const after = third.recovered;
          if (after === null) throw new Error(`${context}: storage did not recover twice`);
          expect(after.term, context).toBe(term);
          expect(after.entries[after.entries.length - 1]?.index, context).toBe(lastIndex + 1);
        }
        // The tearing policies must actually have produced torn tails for this test to mean much.
        if (policy.tearUnsynced > 0) expect(tornTails).toBeGreaterThan(0);
      });
    }
  }
});
