// The swim system end to end in the simulated world: the swim scenario over fixed seeds with 5,
// 9 and 25 members passes completeness, accuracy and convergence (and each check really judged
// something); a healthy network produces no accusation at all; loss produces false suspicions
// that are all refuted; runs replay exactly; the recorder's shortcut misses no view change.

import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK } from '../net/link';
import type { NetworkConfig } from '../net/network';
import { runScenario, type RunOutcome } from '../runner/run';
import type { Scenario } from '../../scenarios/scenario';
import { swim } from '../../scenarios/swim';
import { swimSystem, type SwimSystem, type SwimSystemOptions } from './swim-system';

const quiet: Scenario = { name: 'quiet', description: 'no faults', schedule: () => [] };

function lossy(p: number): NetworkConfig {
  return { defaultLink: { ...DEFAULT_LINK, lossProbability: p }, links: [] };
}

function run(nodes: number, seed: number, durationUs: number, scenario: Scenario = swim, network?: NetworkConfig, options: SwimSystemOptions = {}): { system: SwimSystem; outcome: RunOutcome } {
  const system = swimSystem(options);
  const outcome = runScenario(system, { seed, scenario, nodes, durationUs, ...(network ? { network } : {}) });
  return { system, outcome };
}

function verdictLines(outcome: RunOutcome): string[] {
  return outcome.header.verdicts.map((v) => `${v.check}: ${v.verdict}: ${v.summary}`);
}

describe('swim system under the swim scenario', () => {
  const cases: [nodes: number, seeds: number[], durationUs: number][] = [
    [5, [1, 2, 3, 4], 30_000_000],
    [9, [1, 2, 3], 30_000_000],
    [25, [1, 2], 60_000_000],
  ];
  for (const [nodes, seeds, durationUs] of cases) {
    it(`passes completeness, accuracy and convergence with ${nodes} members (seeds ${seeds.join(', ')})`, () => {
      for (const seed of seeds) {
        const { system, outcome } = run(nodes, seed, durationUs);
        const lines = verdictLines(outcome);
        expect(lines.filter((l) => !l.includes(': pass: ')), `seed ${seed}`).toEqual([]);
        const f = system.figures()!;
        // Not vacuous: a permanent crash was detected by the others, and heals were judged.
        expect(f.detections.length, `seed ${seed} detections`).toBeGreaterThanOrEqual(nodes - 1);
        expect(f.settlings.filter((s) => s.outcome === 'converged').length, `seed ${seed} settlings`).toBeGreaterThanOrEqual(2);
      }
    });
  }
});

describe('swim system accuracy', () => {
  it('with jitter and no loss and no faults, nobody is ever suspected (9 members, 60 s)', () => {
    const { system, outcome } = run(9, 11, 60_000_000, quiet);
    expect(verdictLines(outcome).filter((l) => !l.includes(': pass: '))).toEqual([]);
    const accusations = system.recorder()!.changes.filter((c) => c.status === 'suspect' || c.status === 'dead');
    expect(accusations).toEqual([]);
  });

  it('with 10% loss, false suspicions happen, are counted per member-hour, and every one is refuted', () => {
    let suspicions = 0;
    for (const seed of [1, 2]) {
      const { system, outcome } = run(7, seed, 40_000_000, quiet, lossy(0.1));
      expect(verdictLines(outcome).filter((l) => !l.includes(': pass: ')), `seed ${seed}`).toEqual([]);
      const f = system.figures()!;
      suspicions += f.falseSuspicions;
      expect(f.falseAccusations.filter((a) => a.outcome === 'late' || a.outcome === 'unrefuted')).toEqual([]);
      const accuracy = outcome.header.verdicts.find((v) => v.check === 'swim-accuracy')!;
      expect(accuracy.summary).toContain(`${f.falseSuspicions} false suspicion(s)`);
      expect(accuracy.summary).toContain('per member-hour');
    }
    expect(suspicions).toBeGreaterThan(0);
  });
});

describe('swim system mechanics', () => {
  it('members that know only one seed join through it and all views converge', () => {
    const { system, outcome } = run(9, 5, 30_000_000, quiet, undefined, { seeds: 1 });
    expect(verdictLines(outcome).filter((l) => !l.includes(': pass: '))).toEqual([]);
    const start = system.figures()!.settlings[0]!;
    expect(start.outcome).toBe('converged');
    expect(start.convergedUs!).toBeGreaterThan(0); // they did not know each other at first
  });

  it('the same seed replays the same trace and verdicts; another seed differs', () => {
    const a = run(5, 42, 30_000_000, swim, lossy(0.05)).outcome;
    const b = run(5, 42, 30_000_000, swim, lossy(0.05)).outcome;
    const c = run(5, 43, 30_000_000, swim, lossy(0.05)).outcome;
    expect(b.header.summary.traceHash).toBe(a.header.summary.traceHash);
    expect(JSON.stringify(b.header.verdicts)).toBe(JSON.stringify(a.header.verdicts));
    expect(c.header.summary.traceHash).not.toBe(a.header.summary.traceHash);
  });

  it('recording only steps that can change a view records exactly what diffing every step records', () => {
    const fast = run(6, 9, 30_000_000, swim, lossy(0.1)).system.recorder()!.changes;
    const full = run(6, 9, 30_000_000, swim, lossy(0.1), { diffEveryStep: true }).system.recorder()!.changes;
    expect(fast.length).toBeGreaterThan(100);
    expect(fast).toEqual(full);
  });
});
