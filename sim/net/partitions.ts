// Network partitions as data. A spec names the processes it cuts apart; it is stored in the fault
// schedule and resolved against the cluster's members into a matrix of blocked directed links.
// Processes a spec does not name (clients, by convention) keep every link: Jepsen's clients sit on
// a control node that the partition does not touch.

import type { NodeId } from '../../src/host/contract';

export type PartitionSpec =
  /** Every named group hears only itself. */
  | { readonly shape: 'groups'; readonly groups: readonly (readonly NodeId[])[] }
  /** One node cut off from every other member. */
  | { readonly shape: 'isolate'; readonly node: NodeId }
  /**
   * The listed nodes on one side, every other member on the other. `minorityClients` go with the
   * minority (Jepsen's clients that sit beside their node): they can no longer reach the majority.
   */
  | { readonly shape: 'majority-minority'; readonly minority: readonly NodeId[]; readonly minorityClients?: readonly NodeId[] }
  /** Two halves that cannot hear each other, and one node that hears both. */
  | { readonly shape: 'bridge'; readonly left: readonly NodeId[]; readonly right: readonly NodeId[]; readonly bridge: NodeId }
  /** Members in this order form a ring: each hears only its two neighbours. */
  | { readonly shape: 'ring'; readonly order: readonly NodeId[] }
  /** Messages from `from` to `to` are dropped; the other direction still works. */
  | { readonly shape: 'one-way'; readonly from: readonly NodeId[]; readonly to: readonly NodeId[] };

export type Resolved = { ok: true; blocked: readonly (readonly [NodeId, NodeId])[] } | { ok: false; error: string };

/**
 * The directed links (from, to) a spec blocks among `members`. Errors name the spec's field and
 * the node, e.g. `partition.groups[1]: unknown node "n9"`.
 */
export function resolvePartition(spec: PartitionSpec, members: readonly NodeId[], clients: readonly NodeId[] = []): Resolved {
  const known = new Set(members);
  const unknown = (field: string, ids: readonly NodeId[]): string | null => {
    for (const id of ids) if (!known.has(id)) return `partition.${field}: unknown node "${id}" (members: ${members.join(', ')})`;
    return null;
  };
  const twice = (field: string, ids: readonly NodeId[]): string | null => {
    const seen = new Set<NodeId>();
    for (const id of ids) {
      if (seen.has(id)) return `partition.${field}: node "${id}" appears twice`;
      seen.add(id);
    }
    return null;
  };
  switch (spec.shape) {
    case 'groups': {
      if (spec.groups.length < 2) return { ok: false, error: 'partition.groups: needs at least two groups' };
      for (let g = 0; g < spec.groups.length; g++) {
        const group = spec.groups[g] ?? [];
        if (group.length === 0) return { ok: false, error: `partition.groups[${g}]: empty group` };
        const bad = unknown(`groups[${g}]`, group);
        if (bad) return { ok: false, error: bad };
      }
      const dup = twice('groups', spec.groups.flat());
      if (dup) return { ok: false, error: dup };
      return { ok: true, blocked: betweenGroups(spec.groups) };
    }
    case 'isolate': {
      const bad = unknown('node', [spec.node]);
      if (bad) return { ok: false, error: bad };
      return { ok: true, blocked: betweenGroups([[spec.node], members.filter((m) => m !== spec.node)]) };
    }
    case 'majority-minority': {
      const bad = unknown('minority', spec.minority) ?? twice('minority', spec.minority);
      if (bad) return { ok: false, error: bad };
      if (spec.minority.length === 0 || spec.minority.length * 2 >= members.length) {
        return { ok: false, error: `partition.minority: ${spec.minority.length} of ${members.length} nodes is not a minority` };
      }
      const withClients = spec.minorityClients ?? [];
      for (const c of withClients) if (!clients.includes(c)) return { ok: false, error: `partition.minorityClients: unknown client "${c}" (clients: ${clients.join(', ') || 'none'})` };
      const minority = new Set(spec.minority);
      return { ok: true, blocked: betweenGroups([[...spec.minority, ...withClients], members.filter((m) => !minority.has(m))]) };
    }
    case 'bridge': {
      const all = [...spec.left, ...spec.right, spec.bridge];
      const bad = unknown('left', spec.left) ?? unknown('right', spec.right) ?? unknown('bridge', [spec.bridge]) ?? twice('bridge', all);
      if (bad) return { ok: false, error: bad };
      if (spec.left.length === 0 || spec.right.length === 0) return { ok: false, error: 'partition.bridge: both halves need a node' };
      return { ok: true, blocked: betweenGroups([spec.left, spec.right]) };
    }
    case 'ring': {
      const bad = unknown('order', spec.order) ?? twice('order', spec.order);
      if (bad) return { ok: false, error: bad };
      const n = spec.order.length;
      if (n < 4) return { ok: false, error: `partition.ring: needs at least 4 nodes to cut anything, got ${n}` };
      const blocked: [NodeId, NodeId][] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const distance = Math.min((i - j + n) % n, (j - i + n) % n);
          if (distance > 1) blocked.push([spec.order[i] as NodeId, spec.order[j] as NodeId]);
        }
      }
      return { ok: true, blocked };
    }
    case 'one-way': {
      const bad = unknown('from', spec.from) ?? unknown('to', spec.to);
      if (bad) return { ok: false, error: bad };
      if (spec.from.length === 0 || spec.to.length === 0) return { ok: false, error: 'partition.one-way: from and to need a node each' };
      const blocked: [NodeId, NodeId][] = [];
      for (const f of spec.from) for (const t of spec.to) if (f !== t) blocked.push([f, t]);
      return { ok: true, blocked };
    }
  }
}

/** A one-line description for the trace and the summary. */
export function describePartition(spec: PartitionSpec): string {
  switch (spec.shape) {
    case 'groups':
      return spec.groups.map((g) => `{${g.join(' ')}}`).join(' | ');
    case 'isolate':
      return `isolate ${spec.node}`;
    case 'majority-minority':
      return `minority {${[...spec.minority, ...(spec.minorityClients ?? [])].join(' ')}} | rest`;
    case 'bridge':
      return `{${spec.left.join(' ')}} <${spec.bridge}> {${spec.right.join(' ')}}`;
    case 'ring':
      return `ring ${spec.order.join('-')}`;
    case 'one-way':
      return `{${spec.from.join(' ')}} -/-> {${spec.to.join(' ')}}`;
  }
}

function betweenGroups(groups: readonly (readonly NodeId[])[]): [NodeId, NodeId][] {
  const blocked: [NodeId, NodeId][] = [];
  for (let a = 0; a < groups.length; a++) {
    for (let b = 0; b < groups.length; b++) {
      if (a === b) continue;
      for (const from of groups[a] ?? []) for (const to of groups[b] ?? []) blocked.push([from, to]);
    }
  }
  return blocked;
}
