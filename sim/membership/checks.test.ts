// The checks on hand-made runs, where the right answer is known: bounds derived from the
// configuration; completeness late or on time; a false death in a healthy network versus one
// excused by a partition's aftermath; convergence late, on time, or not judgeable.

import { describe, expect, it } from 'vitest';
import { defaultSwimConfig } from '../../src/membership/config';
import type { TraceKind, TraceRecord } from '../trace/trace';
import { swimBounds, type SwimBounds } from './bounds';
import { judgeSwim, type SwimRunData } from './checks';
import { faultTimeline } from './faults';
import type { ViewChange, ViewStatus } from './recorder';

const servers = ['a', 'b', 'c'];
/** Small bounds so hand-made timelines stay short: T_max 0.5 s, 4 ticks to suspect, 5 to settle. */
const bounds: SwimBounds = { members: 3, suspicionMaxUs: 500_000, detectionTicks: 4, settleTicks: 5, syncEnabled: true };

function trace(events: [number, TraceKind, string | null][]): TraceRecord[] {
  const all: [number, TraceKind, string | null][] = [...servers.map((id): [number, TraceKind, string] => [0, 'start', id]), ...events];
  return all.map(([trueUs, kind, node], seq) => ({ seq, trueUs, localUs: null, node, kind, fields: {} }));
}

/** Every member ticks every 100 ms and starts out seeing everyone alive at incarnation 0. */
function data(events: [number, TraceKind, string | null][], changes: [number, string, string, ViewStatus, number][], endUs: number, lossy = false): SwimRunData {
  const initial: ViewChange[] = servers.flatMap((o) => servers.map((s) => ({ trueUs: 0, observer: o, subject: s, status: 'alive' as const, incarnation: 0 })));
  const later = changes.map(([trueUs, observer, subject, status, incarnation]) => ({ trueUs, observer, subject, status, incarnation }));
  const ticks = new Map(servers.map((id) => [id, Array.from({ length: Math.floor(endUs / 100_000) }, (_, i) => (i + 1) * 100_000)]));
  return { servers, lossy, changes: [...initial, ...later], ticks, faults: faultTimeline(trace(events), servers, endUs) };
}

function verdict(d: SwimRunData, check: string): { verdict: string; summary: string } {
  return judgeSwim(d, bounds).verdicts.find((v) => v.check === check)!;
}

describe('bounds from the configuration', () => {
  it('detection counts 2(n - 1) probe periods, T_max is beta x alpha x scale(n) x P, settling 2S + lambda x scale(n + 1)', () => {
    const P = defaultSwimConfig.protocolPeriodUs;
    expect(swimBounds(defaultSwimConfig, 5)).toEqual({ members: 5, suspicionMaxUs: 6 * 4 * 1 * P, detectionTicks: 8, settleTicks: 2 * 10 + 4, syncEnabled: true });
    expect(swimBounds(defaultSwimConfig, 25)).toEqual({ members: 25, suspicionMaxUs: 6 * 4 * 2 * P, detectionTicks: 48, settleTicks: 2 * 10 + 8, syncEnabled: true });
    expect(swimBounds({ ...defaultSwimConfig, syncEveryPeriods: 0 }, 5).syncEnabled).toBe(false);
  });
});

describe('completeness', () => {
  it('fails when an observer still holds the crashed member suspect at its deadline, naming both and the times', () => {
    // c crashes at 1 s: deadline = 4th tick after 1 s (1.4 s) + T_max 0.5 s = 1.9 s.
    const d = data([[1_000_000, 'crash', 'c']], [[1_200_000, 'a', 'c', 'suspect', 0], [1_800_000, 'a', 'c', 'dead', 0], [1_500_000, 'b', 'c', 'suspect', 0]], 5_000_000);
    const v = verdict(d, 'swim-completeness');
    expect(v.verdict).toBe('fail');
    expect(v.summary).toBe('1 of 2 detections late; first: b still held c suspect@0 at 1.900 s, 0.900 s after c crashed at 1.000 s (bound: 4 probe periods + T_max 0.500 s)');
  });

  it('passes when every observer holds the crashed member dead by its deadline', () => {
    const d = data([[1_000_000, 'crash', 'c']], [[1_800_000, 'a', 'c', 'dead', 0], [1_900_000, 'b', 'c', 'dead', 0]], 5_000_000);
    expect(verdict(d, 'swim-completeness').verdict).toBe('pass');
  });

  it('extends the deadline by the time the observer spent paused', () => {
    // b is paused 1.5-2.5 s, which overlaps its suspicion window [1.4 s, 1.9 s] by 0.4 s: its
    // suspicion timer could not fire meanwhile, so its deadline is 2.3 s, and dead at 2.2 s is on time.
    const d = data([[1_000_000, 'crash', 'c'], [1_500_000, 'pause', 'b'], [2_500_000, 'resume', 'b']], [[1_800_000, 'a', 'c', 'dead', 0], [2_200_000, 'b', 'c', 'dead', 0]], 5_000_000);
    expect(verdict(d, 'swim-completeness').verdict).toBe('pass');
  });
});

describe('accuracy', () => {
  it('fails on a live member declared dead in a healthy network', () => {
    const d = data([], [[3_000_000, 'a', 'b', 'suspect', 0], [3_500_000, 'a', 'b', 'dead', 0], [3_600_000, 'a', 'b', 'alive', 1]], 10_000_000);
    const v = verdict(d, 'swim-accuracy');
    expect(v.verdict).toBe('fail');
    expect(v.summary).toMatch(/^a declared b dead@0 at 3\.500 s while it was up and the network healthy/);
  });

  it('tolerates a refuted false death when links lose messages, and counts it per member-hour', () => {
    const d = data([], [[3_000_000, 'a', 'b', 'suspect', 0], [3_500_000, 'a', 'b', 'dead', 0], [3_600_000, 'a', 'b', 'alive', 1]], 10_000_000, true);
    const judged = judgeSwim(d, bounds);
    expect(judged.figures.falseSuspicions).toBe(1);
    expect(judged.figures.falseDeaths).toBe(1);
    expect(judged.verdicts.find((v) => v.check === 'swim-accuracy')!.verdict).toBe('pass');
  });

  it('fails on a false suspicion never refuted, even with loss', () => {
    const d = data([], [[3_000_000, 'a', 'b', 'suspect', 0]], 10_000_000, true);
    expect(verdict(d, 'swim-accuracy').summary).toMatch(/^a suspected b suspect@0 at 3\.000 s while it was up; never refuted/);
  });

  it('excuses accusations during a partition and until its settling deadline, but not after', () => {
    // Partition 2-3 s; settling deadline = 5th tick after 3.5 s = 4.0 s.
    const events: [number, TraceKind, string | null][] = [[2_000_000, 'partition', null], [3_000_000, 'heal', null]];
    const excused = data(events, [[3_900_000, 'a', 'b', 'dead', 0], [4_000_000, 'a', 'b', 'alive', 1]], 10_000_000);
    expect(judgeSwim(excused, bounds).figures.falseAccusations).toEqual([]);
    const notExcused = data(events, [[4_100_000, 'a', 'b', 'dead', 0], [4_200_000, 'a', 'b', 'alive', 1]], 10_000_000);
    expect(verdict(notExcused, 'swim-accuracy').verdict).toBe('fail');
  });
});

describe('convergence', () => {
  it('fails when views still disagree at the deadline after a heal, naming who sees what', () => {
    // a restarts at 2 s (refutes to incarnation 1); b never learns. Deadline: 5th tick after 2.5 s = 3.0 s.
    const d = data([[1_000_000, 'crash', 'a'], [2_000_000, 'start', 'a']], [[2_000_000, 'a', 'a', 'alive', 1], [2_100_000, 'c', 'a', 'alive', 1]], 10_000_000);
    const v = verdict(d, 'swim-convergence');
    expect(v.verdict).toBe('fail');
    expect(v.summary).toBe('views still disagree at 3.000 s, 1.000 s after the heal at 2.000 s (bound: T_max 0.500 s + 5 probe periods): b sees a alive@0, a is at 1');
  });

  it('passes when they agree in time (even if the run ends before the bound), and reports unknown when it ends before both', () => {
    const changes: [number, string, string, ViewStatus, number][] = [[2_000_000, 'a', 'a', 'alive', 1], [2_100_000, 'c', 'a', 'alive', 1], [2_900_000, 'b', 'a', 'alive', 1]];
    const events: [number, TraceKind, string | null][] = [[1_000_000, 'crash', 'a'], [2_000_000, 'start', 'a']];
    expect(verdict(data(events, changes, 10_000_000), 'swim-convergence').verdict).toBe('pass');
    // The views agreed at 2.9 s, before the run ended at 2.95 s and before the bound: converged.
    expect(verdict(data(events, changes, 2_950_000), 'swim-convergence').verdict).toBe('pass');
    // The run ends at 2.85 s, before b has heard of a: neither agreement nor the bound was reached.
    const short = verdict(data(events, changes.filter(([t]) => t <= 2_850_000), 2_850_000), 'swim-convergence');
    expect(short.verdict).toBe('unknown');
    expect(short.summary).toMatch(/run longer; still apart at the end: b sees a alive@0, a is at 1$/);
  });
});
