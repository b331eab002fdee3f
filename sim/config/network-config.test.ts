import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK } from '../net/link';
import { validateNetworkConfig } from './network-config';

describe('network configuration from outside', () => {
  it('fills what is left out with the defaults', () => {
    expect(validateNetworkConfig({ defaultLink: { lossProbability: 0.1 } }, ['a', 'b'])).toEqual({
      ok: true,
      config: { defaultLink: { ...DEFAULT_LINK, lossProbability: 0.1 }, links: [] },
    });
  });

  it('refuses a negative latency, a probability outside [0, 1], an unknown field and an unknown process, naming each', () => {
    const r = validateNetworkConfig(
      {
        defaultLink: { latency: { baseUs: -5 }, lossProbability: 1.5, dupProbability: 0.1 },
        links: [{ from: 'a', to: 'z', link: { duplicateProbability: -0.1 } }],
      },
      ['a', 'b'],
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        'network.defaultLink.dupProbability: unknown field (known: latency, lossProbability, duplicateProbability, reorderProbability, reorderDelayUsMax)',
        'network.defaultLink.latency.baseUs: -5 is negative; a duration is >= 0 microseconds',
        'network.defaultLink.lossProbability: 1.5 is outside [0, 1]',
        'network.links[0].to: unknown process the string "z" (known: a, b)',
        'network.links[0].link.duplicateProbability: -0.1 is outside [0, 1]',
      ],
    });
  });
});
