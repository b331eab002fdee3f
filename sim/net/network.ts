// The simulated network between processes: point-to-point messages whose fate (delay, loss,
// duplication, reordering) is drawn per link from the network's own seeded stream, and a set of
// blocked directed links that partitions install and heal. It decides fates only; the world
// schedules the deliveries. A message is checked against partitions when sent and again when it
// arrives, as a firewall rule installed mid-flight drops packets already on the wire.

import type { NodeId } from '../../src/host/contract';
import { assert } from '../../src/util/assert';
import type { Rng } from '../rng/streams';
import { DEFAULT_LINK, sampleDeliveries, type LinkConfig } from './link';
import { resolvePartition, type PartitionSpec } from './partitions';

export interface NetworkConfig {
  /** The link every pair uses unless overridden. */
  defaultLink: LinkConfig;
  /** Per directed link overrides (a slow follower, a lossy path). */
  links: readonly { readonly from: NodeId; readonly to: NodeId; readonly link: LinkConfig }[];
}

export const DEFAULT_NETWORK: NetworkConfig = { defaultLink: DEFAULT_LINK, links: [] };

export interface NetworkStats {
  sent: number;
  delivered: number;
  lostRandom: number;
  droppedPartition: number;
  droppedDown: number;
  duplicated: number;
}

export class Network {
  private readonly index = new Map<NodeId, number>();
  private readonly linkOf: LinkConfig[][];
  /** blocked[from * n + to] = 1 while a partition cuts that direction. */
  private readonly blocked: Uint8Array;
  /** lossFault[from * n + to]: the chance a timed link-loss fault drops a message there (0: none). */
  private readonly lossFault: Float64Array;
  /** Whether any link has a loss fault (the hot path skips the lookup when none has). */
  private lossFaulted = false;
  /** Drawn only while a loss fault is on, so the rest of the network draws the same with or without one. */
  private lossRng: Rng | null = null;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, lostRandom: 0, droppedPartition: 0, droppedDown: 0, duplicated: 0 };

  constructor(
    readonly processIds: readonly NodeId[],
    config: NetworkConfig,
    private readonly rng: Rng,
  ) {
    processIds.forEach((id, i) => this.index.set(id, i));
    assert(this.index.size === processIds.length, 'process ids must be unique');
    const n = processIds.length;
    this.linkOf = processIds.map(() => processIds.map(() => config.defaultLink));
    for (const { from, to, link } of config.links) {
      const f = this.indexOf(from);
      const t = this.indexOf(to);
      (this.linkOf[f] as LinkConfig[])[t] = link;
    }
    this.blocked = new Uint8Array(n * n);
    this.lossFault = new Float64Array(n * n);
  }

  indexOf(id: NodeId): number {
    const i = this.index.get(id);
    if (i === undefined) assert(false, `unknown process "${id}"`);
    return i;
  }

  /**
   * A message leaves `from` for `to`: writes the delays after which its copies arrive into
   * `delaysUs` and returns how many there are (0 when the link is cut or the message is lost).
   * Indices and an output array, not names and a new array: this is the simulator's hot path.
   */
  send(from: number, to: number, delaysUs: number[]): number {
    this.stats.sent++;
    if (this.blocked[from * this.processIds.length + to] === 1) {
      this.stats.droppedPartition++;
      return 0;
    }
    if (this.lossFaulted) {
      const p = this.lossFault[from * this.processIds.length + to] as number;
      if (p > 0 && (this.lossRng as Rng).chance(p)) {
        this.stats.lostRandom++;
        return 0;
      }
    }
    const copies = sampleDeliveries((this.linkOf[from] as LinkConfig[])[to] as LinkConfig, this.rng, delaysUs);
    if (copies === 0) this.stats.lostRandom++;
    if (copies > 1) this.stats.duplicated += copies - 1;
    return copies;
  }

  /** Whether a message arriving now over from -> to gets through the current partitions. */
  admits(from: number, to: number): boolean {
    if (this.blocked[from * this.processIds.length + to] === 1) {
      this.stats.droppedPartition++;
      return false;
    }
    return true;
  }

  /**
   * Install a partition among `members` (the cluster's nodes; clients are left connected). It
   * replaces any previous partition. Returns an error naming the bad field instead of throwing.
   */
  partition(spec: PartitionSpec, members: readonly NodeId[], clients: readonly NodeId[] = []): { ok: true } | { ok: false; error: string } {
    const resolved = resolvePartition(spec, members, clients);
    if (!resolved.ok) return resolved;
    this.blocked.fill(0);
    const n = this.processIds.length;
    for (const [from, to] of resolved.blocked) this.blocked[this.indexOf(from) * n + this.indexOf(to)] = 1;
    return { ok: true };
  }

  heal(): void {
    this.blocked.fill(0);
  }

  /**
   * A timed loss fault: each message on these directed links (null: every link) is dropped with
   * this probability, on top of the link's own loss, until endLinkLoss. A later fault on a link
   * replaces its probability. Draws come from `rng` (a stream of their own).
   */
  setLinkLoss(probability: number, links: readonly { readonly from: NodeId; readonly to: NodeId }[] | null, rng: Rng): void {
    assert(probability > 0 && probability <= 1, `link loss probability ${probability} is outside (0, 1]`);
    const n = this.processIds.length;
    if (links === null) {
      for (let f = 0; f < n; f++) for (let t = 0; t < n; t++) if (f !== t) this.lossFault[f * n + t] = probability;
    } else {
      for (const { from, to } of links) this.lossFault[this.indexOf(from) * n + this.indexOf(to)] = probability;
    }
    this.lossRng = rng;
    this.lossFaulted = true;
  }

  /** Ends every timed loss fault. */
  endLinkLoss(): void {
    this.lossFault.fill(0);
    this.lossFaulted = false;
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked[this.indexOf(from) * this.processIds.length + this.indexOf(to)] === 1;
  }

  /** The groups of members that can all reach each other both ways (for viewers and summaries). */
  connectedGroups(members: readonly NodeId[]): NodeId[][] {
    const groups: NodeId[][] = [];
    const placed = new Set<NodeId>();
    for (const a of members) {
      if (placed.has(a)) continue;
      const group = [a];
      placed.add(a);
      for (const b of members) {
        if (placed.has(b)) continue;
        if (group.every((g) => !this.isBlocked(g, b) && !this.isBlocked(b, g))) {
          group.push(b);
          placed.add(b);
        }
      }
      groups.push(group);
    }
    return groups;
  }
}
