import { describe, expect, it } from 'vitest';
import { resolvePartition, type PartitionSpec } from './partitions';

const members = ['n1', 'n2', 'n3', 'n4', 'n5'];

function blocked(spec: PartitionSpec): Set<string> {
  const r = resolvePartition(spec, members);
  if (!r.ok) throw new Error(r.error);
  return new Set(r.blocked.map(([a, b]) => `${a}>${b}`));
}

describe('partition shapes', () => {
  it('groups: only links between different groups are cut, both ways', () => {
    const b = blocked({ shape: 'groups', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] });
    expect(b.has('n1>n3')).toBe(true);
    expect(b.has('n3>n1')).toBe(true);
    expect(b.has('n1>n2')).toBe(false);
    expect(b.has('n4>n5')).toBe(false);
    expect(b.size).toBe(2 * 2 * 3);
  });

  it('isolate cuts one node from every other member and nothing else', () => {
    const b = blocked({ shape: 'isolate', node: 'n3' });
    expect(b.size).toBe(8);
    for (const m of ['n1', 'n2', 'n4', 'n5']) expect(b.has(`n3>${m}`) && b.has(`${m}>n3`)).toBe(true);
  });

  it('majority-minority refuses a side that is not a minority', () => {
    expect(resolvePartition({ shape: 'majority-minority', minority: ['n1', 'n2', 'n3'] }, members)).toEqual({
      ok: false,
      error: 'partition.minority: 3 of 5 nodes is not a minority',
    });
    expect(blocked({ shape: 'majority-minority', minority: ['n1', 'n2'] }).size).toBe(12);
  });

  it('bridge: the bridge node hears both halves, which cannot hear each other', () => {
    const b = blocked({ shape: 'bridge', left: ['n1', 'n2'], right: ['n4', 'n5'], bridge: 'n3' });
    expect(b.has('n1>n4')).toBe(true);
    expect(b.has('n5>n2')).toBe(true);
    expect([...b].some((l) => l.includes('n3'))).toBe(false);
  });

  it('ring: each node hears exactly its two neighbours', () => {
    const b = blocked({ shape: 'ring', order: members });
    for (const m of members) {
      const heard = members.filter((o) => o !== m && !b.has(`${o}>${m}`));
      expect(heard).toHaveLength(2);
    }
  });

  it('one-way: A hears B but B does not hear A', () => {
    const b = blocked({ shape: 'one-way', from: ['n1'], to: ['n2'] });
    expect(b.has('n1>n2')).toBe(true);
    expect(b.has('n2>n1')).toBe(false);
  });

  it('names the field and the node when a spec mentions an unknown node', () => {
    const r = resolvePartition({ shape: 'groups', groups: [['n1'], ['n9']] }, members);
    expect(r).toEqual({ ok: false, error: 'partition.groups[1]: unknown node "n9" (members: n1, n2, n3, n4, n5)' });
    expect(resolvePartition({ shape: 'isolate', node: 'x' }, members).ok).toBe(false);
    expect(resolvePartition({ shape: 'groups', groups: [['n1', 'n2'], ['n2']] }, members)).toEqual({
      ok: false,
      error: 'partition.groups: node "n2" appears twice',
    });
  });
});
