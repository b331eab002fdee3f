// What a scenario is: a name, a one-line description, and a generator that turns the run's
// nemesis stream into a fault schedule for a cluster. The schedule is plain data (see
// sim/nemesis/schedule.ts): printed, stored in the artifact, replayable and shrinkable.
// A generator must leave the last cluster.quietUs of the run free of faults and end it healed.

import type { NodeId } from '../src/host/contract';
import type { FaultSchedule } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import type { RaftConfig } from '../src/raft/config';
import type { DiskLatencyConfig } from '../sim/disk/config';

export interface ClusterShape {
  /** The cluster's members (servers), in order. */
  readonly members: readonly NodeId[];
  /** The client processes (none for systems without clients); partitions may take some along. */
  readonly clients?: readonly NodeId[];
  /** The length of the run in true microseconds, healing period included. */
  readonly durationUs: number;
  /**
   * The fault-free healing period the run ends with (at least HEAL_PERIOD_US): the system under
   * test sets it long enough for its end-of-run checks to be judged (see SystemUnderTest.quietUs).
   */
  readonly quietUs: number;
}

/** A network configuration in the --config file's form: checked by sim/config/network-config.ts before use. */
export type ScenarioNetworkSettings = Readonly<Record<string, unknown>>;

export interface Scenario {
  readonly name: string;
  readonly description: string;
  schedule(rng: Rng, cluster: ClusterShape): FaultSchedule;
  /** Node settings the scenario needs (e.g. frequent snapshots), applied over the defaults. */
  readonly settings?: {
    readonly raft?: Partial<RaftConfig>;
    /** How many of the servers start as voters; the others wait to be added by the schedule. */
    readonly initialVoters?: number;
    /** The disks' latencies, unless --config gives a disk (e.g. network storage, fsync slower than a network hop). */
    readonly diskLatency?: DiskLatencyConfig;
    /**
     * The network, unless --config gives one: written as the `network` of a --config file
     * ({ defaultLink, links }, what is left out takes the defaults of sim/net/link.ts) and
     * validated the same way, so a wrong field is refused (exit 2) naming it. A function of the
     * cluster's servers so that a per-link override can name one that exists (e.g. the last); it
     * returns plain data, and the artifact records the network the run actually used.
     */
    readonly network?: (members: readonly NodeId[]) => ScenarioNetworkSettings;
  };
}

/** Every run ends with at least this long a period with no fault active, so liveness can be judged. */
export const HEAL_PERIOD_US = 5_000_000;

/** The end of the fault window: where the run's healing period begins. */
export function faultWindowEndUs(cluster: ClusterShape): number {
  return cluster.durationUs - cluster.quietUs;
}
