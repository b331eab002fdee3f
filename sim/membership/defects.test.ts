// The checks can fail: planted defects make accuracy, completeness or convergence fail, with a
// summary naming the nodes and times. Without the defect the same runs pass (checked beside).

import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK } from '../net/link';
import { judgeScenario } from '../runner/run';
import type { Verdict } from '../runner/artifact';
import type { Scenario } from '../../scenarios/scenario';
import { swim } from '../../scenarios/swim';
import { swimSystem, type SwimSystemOptions } from './swim-system';

const quiet: Scenario = { name: 'quiet', description: 'no faults', schedule: () => [] };

function verdicts(options: SwimSystemOptions, scenario: Scenario, loss: number, durationUs = 30_000_000): Map<string, Verdict> {
  const network = { defaultLink: { ...DEFAULT_LINK, lossProbability: loss }, links: [] };
  const outcome = judgeScenario(swimSystem(options), { seed: 1, scenario, nodes: 5, durationUs, network });
  return new Map(outcome.header.verdicts.map((v) => [v.check, v]));
}

describe('planted defects', () => {
  it('members that never refute: under 10% loss accuracy fails (an accusation never refuted) and views never converge', () => {
    const everyone = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const broken = verdicts({ defect: { kind: 'never-refutes', members: everyone } }, quiet, 0.1);
    expect(broken.get('swim-accuracy')!.verdict).toBe('fail');
    expect(broken.get('swim-accuracy')!.summary).toMatch(/^n\d (suspected|declared) n\d (suspect|dead)@\d+ at \d+\.\d{3} s while it was up; never refuted/);
    expect(broken.get('swim-convergence')!.verdict).toBe('fail');
    expect(broken.get('swim-convergence')!.summary).toMatch(/views never agreed .* n\d sees n\d dead@\d+/);
    const sound = verdicts({}, quiet, 0.1);
    expect([...sound.values()].map((v) => v.verdict)).toEqual(['pass', 'pass', 'pass']);
  });

  it('members running a suspicion timeout 10x the configured one: completeness fails, naming observer, crashed member and times', () => {
    const broken = verdicts({ defect: { kind: 'member-config', override: { suspicionMultiplier: 40 } } }, swim, 0);
    const completeness = broken.get('swim-completeness')!;
    expect(completeness.verdict).toBe('fail');
    expect(completeness.summary).toMatch(/detections late; first: n\d still held n\d suspect@\d+ at \d+\.\d{3} s, \d+\.\d{3} s after n\d crashed at \d+\.\d{3} s/);
    expect(verdicts({}, swim, 0).get('swim-completeness')!.verdict).toBe('pass');
  });

  it('a suspicion timeout of about zero and a period shorter than the round trip: live members are declared dead in a healthy network and accuracy fails', () => {
    const hasty = { protocolPeriodUs: 2_000, probeTimeoutUs: 1_000, localHealthMax: 0, suspicionMultiplier: 1, suspicionMaxMultiplier: 1 };
    const broken = verdicts({ config: hasty }, quiet, 0, 500_000);
    const accuracy = broken.get('swim-accuracy')!;
    expect(accuracy.verdict).toBe('fail');
    expect(accuracy.summary).toMatch(/^n\d declared n\d dead@\d+ at \d+\.\d{3} s while it was up and the network healthy/);
  });
});
