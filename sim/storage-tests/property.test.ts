// Properties over random workloads, crash points and crash outcomes on the simulated disk:
// whatever the workload (appends, conflicting suffixes, hard states, local and installed
// snapshots), wherever the power fails and whatever the crash does to unsynced writes, the
// node restarts with every acknowledged promise kept; and a crash during recovery itself is
// survived the same way.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng/streams';
import { driverOn, expectKeeps, issuedEntries, makeSimDisk, promisesOf, runScript } from './workload';
import { scriptOf, stepArb } from './random-workload';

const crashPolicy = fc.record({ keepUnsynced: fc.double({ min: 0, max: 0.5, noNaN: true }), tearUnsynced: fc.double({ min: 0, max: 0.5, noNaN: true }) });

describe('random workloads, crash anywhere', () => {
  it('the node restarts and keeps every acknowledged promise', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 30 }), fc.nat(), crashPolicy, fc.nat(), fc.boolean(), (steps, crashAt, policy, seed, shuffled) => {
        const script = scriptOf(steps);
        if (script.length === 0) return;
        const disk = makeSimDisk(`prop-${seed}`);
        const full = driverOn(makeSimDisk('measure')).start();
        runScript(full, script);
        expect(full.persisted).toHaveLength(script.length);
        const k = 1 + (crashAt % full.opsExecuted);
        const first = driverOn(disk, k, shuffled ? new Rng(`order-${seed}`) : null).start();
        runScript(first, script);
        disk.crash(policy);
        const second = driverOn(disk).start();
        expect(second.failClosed).toBeNull();
        if (second.recovered === null) throw new Error('did not recover');
        expectKeeps(second.recovered, promisesOf(script, first.persisted), issuedEntries(script), `crash after op ${k}`);
      }),
      { numRuns: 150 },
    );
  });

  it('a crash during recovery is survived: the next recovery still keeps every promise', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 20 }), fc.nat(), fc.nat(), fc.nat(), (steps, crashAt, recoveryCrashAt, seed) => {
        const script = scriptOf(steps);
        if (script.length === 0) return;
        const full = driverOn(makeSimDisk('measure')).start();
        runScript(full, script);
        const disk = makeSimDisk(`prop-r-${seed}`);
        const first = driverOn(disk, 1 + (crashAt % full.opsExecuted)).start();
        runScript(first, script);
        disk.crash({ keepUnsynced: 0, tearUnsynced: 1 });
        // Recovery of a torn tail takes about a dozen ops (lists, reads, re-reads, repairs): crash partway.
        const interrupted = driverOn(disk, 1 + (recoveryCrashAt % 12)).start();
        disk.crash({ keepUnsynced: 0.3, tearUnsynced: 0.4 });
        const last = driverOn(disk).start();
        expect(last.failClosed, `interrupted recovery after ${interrupted.opsExecuted} ops`).toBeNull();
        if (last.recovered === null) throw new Error('did not recover');
        expectKeeps(last.recovered, promisesOf(script, first.persisted), issuedEntries(script), 'after an interrupted recovery');
      }),
      { numRuns: 150 },
    );
  });

  it('with fsync EIO and ENOSPC at random: the first failure fails everything after it, and a restart (with or without a crash) keeps every promise and goes on working', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 25 }),
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        fc.option(crashPolicy, { nil: null }),
        fc.nat(),
        (steps, fsyncEio, enospc, crash, seed) => {
          const script = scriptOf(steps);
          if (script.length === 0) return;
          const disk = makeSimDisk(`faulty-${seed}`, { faults: { fsyncEio, enospc } });
          let first = driverOn(disk).start();
          // Recovery of a fresh disk may itself hit a fault: it asks for a restart, and the host retries.
          for (let tries = 0; tries < 20 && first.recovered === null; tries++) {
            expect(first.failClosed).toBeNull();
            first = driverOn(disk).start();
          }
          if (first.recovered === null) return;
          runScript(first, script);
          const answered = [...first.persisted, ...first.failed.map((f) => f.syncId)].sort((a, b) => a - b);
          expect(answered).toEqual(script.map((e) => e.syncId));
          const firstFailed = first.failed[0]?.syncId ?? Number.POSITIVE_INFINITY;
          expect(first.persisted.every((id) => id < firstFailed)).toBe(true);
          if (crash !== null) disk.crash(crash);

          let again = driverOn(disk).start();
          for (let tries = 0; tries < 20 && again.recovered === null; tries++) {
            expect(again.failClosed).toBeNull();
            again = driverOn(disk).start();
          }
          const state = again.recovered;
          if (state === null) return;
          expectKeeps(state, promisesOf(script, first.persisted), issuedEntries(script), 'after a failure and a restart');

          // Goes on working: one more append, acknowledged unless a fault fails it, then found again.
          const snapIndex = state.snapshot?.meta.lastIndex ?? 0;
          const next = { index: snapIndex + state.entries.length + 1, term: 1000, kind: 'command' as const, data: new Uint8Array([1]), config: null };
          again.persist({ kind: 'appendLog', syncId: 1, truncateFrom: null, entries: [next] });
          again.pump();
          if (again.persisted.length === 0) return;
          disk.crash({ keepUnsynced: 0, tearUnsynced: 0 });
          let third = driverOn(disk).start();
          for (let tries = 0; tries < 20 && third.recovered === null; tries++) {
            expect(third.failClosed).toBeNull();
            third = driverOn(disk).start();
          }
          if (third.recovered === null) return;
          expect(third.recovered.entries.at(-1)?.index).toBe(next.index);
        },
      ),
      { numRuns: 200 },
    );
  });
});
