// fast-check over seeds, cluster sizes and loss for small clusters: the swim system under the
// swim scenario always passes completeness, accuracy and convergence. A failure prints the seed,
// size and loss, which replay the run exactly.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK } from '../net/link';
import { judgeScenario } from '../runner/run';
import { swim } from '../../scenarios/swim';
import { swimSystem } from './swim-system';

describe('swim system property', () => {
  it('every check passes for any seed with 3 to 6 members, with or without 5% loss', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 3, max: 6 }), fc.constantFrom(0, 0.05), (seed, nodes, loss) => {
        const network = { defaultLink: { ...DEFAULT_LINK, lossProbability: loss }, links: [] };
        const outcome = judgeScenario(swimSystem(), { seed, scenario: swim, nodes, durationUs: 30_000_000, network });
        const failing = outcome.header.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.check}: ${v.verdict}: ${v.summary}`);
        expect(failing, `seed ${seed}, ${nodes} members, loss ${loss}`).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
