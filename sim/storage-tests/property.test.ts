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
});
