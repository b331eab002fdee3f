import { describe, expect, it } from 'vitest';
import { RngStreams } from '../rng/streams';
import { DEFAULT_LINK, type LinkConfig } from './link';
import { Network } from './network';

/** The delays of one send, as a fresh array (the network writes into an output array). */
function send(n: Network, from: number, to: number): number[] {
  const out = [0, 0];
  return out.slice(0, n.send(from, to, out));
}

function net(link: LinkConfig, seed = 1): Network {
  return new Network(['a', 'b', 'c'], { defaultLink: link, links: [] }, new RngStreams(seed).stream('network'));
}

describe('Network link fates', () => {
  it('keeps every delay within base + jitter when there is no tail and no reordering', () => {
    const n = net({ ...DEFAULT_LINK, latency: { baseUs: 1_000, jitterUs: 500, tailProbability: 0, tailUs: 0 } });
    for (let i = 0; i < 5_000; i++) {
      const [d] = send(n, 0, 1);
      expect(d).toBeGreaterThanOrEqual(1_000);
      expect(d).toBeLessThanOrEqual(1_500);
    }
  });

  it('loses about the configured fraction of messages', () => {
    const n = net({ ...DEFAULT_LINK, lossProbability: 0.3 });
    let lost = 0;
    for (let i = 0; i < 20_000; i++) if (send(n, 0, 1).length === 0) lost++;
    expect(lost / 20_000).toBeGreaterThan(0.28);
    expect(lost / 20_000).toBeLessThan(0.32);
    expect(n.stats.lostRandom).toBe(lost);
  });

  it('duplicates about the configured fraction of messages', () => {
    const n = net({ ...DEFAULT_LINK, duplicateProbability: 0.2 });
    let dup = 0;
    for (let i = 0; i < 20_000; i++) if (send(n, 0, 1).length === 2) dup++;
    expect(dup / 20_000).toBeGreaterThan(0.18);
    expect(dup / 20_000).toBeLessThan(0.22);
  });

  it('reordering lets a later message overtake an earlier one', () => {
    const n = net({ ...DEFAULT_LINK, latency: { baseUs: 1_000, jitterUs: 0, tailProbability: 0, tailUs: 0 }, reorderProbability: 0.5, reorderDelayUsMax: 10_000 });
    let overtaken = 0;
    for (let i = 0; i < 1_000; i++) {
      const [first] = send(n, 0, 1);
      const [second] = send(n, 0, 1);
      if (second! + 1 < first!) overtaken++; // sent 1 µs later, yet arrives first
    }
    expect(overtaken).toBeGreaterThan(100);
  });

  it('long tails are rare and long', () => {
    const n = net({ ...DEFAULT_LINK, latency: { baseUs: 500, jitterUs: 0, tailProbability: 0.01, tailUs: 50_000 } });
    let tails = 0;
    for (let i = 0; i < 20_000; i++) if (send(n, 0, 1)[0]! > 500) tails++;
    expect(tails).toBeGreaterThan(120);
    expect(tails).toBeLessThan(300);
  });

  it('drops what a partition cuts, in the cut direction only, until healed', () => {
    const n = net(DEFAULT_LINK);
    expect(n.partition({ shape: 'one-way', from: ['a'], to: ['b'] }, ['a', 'b', 'c'])).toEqual({ ok: true });
    expect(send(n, 0, 1)).toEqual([]);
    expect(send(n, 1, 0)).toHaveLength(1);
    expect(n.admits(0, 1)).toBe(false);
    n.heal();
    expect(send(n, 0, 1)).toHaveLength(1);
    expect(n.stats.droppedPartition).toBe(2);
  });

  it('per-link overrides apply to that direction only', () => {
    const slow: LinkConfig = { ...DEFAULT_LINK, latency: { baseUs: 100_000, jitterUs: 0, tailProbability: 0, tailUs: 0 } };
    const n = new Network(['a', 'b'], { defaultLink: { ...DEFAULT_LINK, latency: { baseUs: 10, jitterUs: 0, tailProbability: 0, tailUs: 0 } }, links: [{ from: 'a', to: 'b', link: slow }] }, new RngStreams(3).stream('network'));
    expect(send(n, 0, 1)).toEqual([100_000]);
    expect(send(n, 1, 0)).toEqual([10]);
  });
});
