// What the scenarios' schedule tests share: a cluster of the cache system's shape, a scenario's
// schedule for a seed (drawn from the nemesis stream, as a run draws it), and the check every
// generated schedule must pass: valid once read back as JSON (what --schedule and the artifact
// give), in time order, and within the fault window.

import { expect } from 'vitest';
import { validateSchedule, type TimedFault } from '../sim/nemesis/schedule';
import { RngStreams } from '../sim/rng/streams';
import { cacheQuietUs } from '../sim/runner/cache-system';
import { serverIds } from '../sim/runner/run';
import { faultWindowEndUs, type ClusterShape, type Scenario } from './scenario';

/** Servers n1..nN, the given clients, a run of `seconds`, the cache system's healing period. */
export function cacheCluster(nodes: number, seconds: number, clients: readonly string[] = ['c1', 'c2']): ClusterShape {
  return { members: serverIds(nodes), clients, durationUs: seconds * 1_000_000, quietUs: cacheQuietUs(nodes) };
}

/** The scenario's schedule for this seed and cluster. */
export function scheduleOf(scenario: Scenario, seed: number, cluster: ClusterShape): TimedFault[] {
  return [...scenario.schedule(new RngStreams(seed).stream('nemesis'), cluster)];
}

/** Valid read back from JSON, in time order, every fault within the fault window. */
export function expectWellFormed(schedule: readonly TimedFault[], cluster: ClusterShape): void {
  expect(validateSchedule(JSON.parse(JSON.stringify(schedule)), cluster.members, 'schedule', cluster.clients).ok).toBe(true);
  for (let i = 1; i < schedule.length; i++) expect(schedule[i]!.atUs).toBeGreaterThanOrEqual(schedule[i - 1]!.atUs);
  for (const f of schedule) expect(f.atUs).toBeLessThanOrEqual(faultWindowEndUs(cluster));
}
