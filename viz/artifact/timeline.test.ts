// Proves the timeline: role segments tile each node's life without gaps or overlaps, every
// message's end comes after its send, and windowed message queries match a full scan.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildTimeline, faultLabel, messagesInWindow } from './timeline';
import { fixture } from '../testing/cached';

describe('buildTimeline', () => {
  it("tiles each node's life with segments that neither overlap nor leave gaps", () => {
    const t = buildTimeline(fixture());
    for (const node of t.nodes) {
      const mine = t.segments.filter((s) => s.node === node);
      expect(mine.length).toBeGreaterThan(0);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.startUs).toBe(mine[i - 1]!.endUs);
      expect(mine[mine.length - 1]!.endUs).toBe(t.endUs);
    }
    expect(t.segments.some((s) => s.lane === 'leader')).toBe(true);
  });

  it('ends every message after it was sent, at a record of the right kind', () => {
    const run = fixture();
    const t = buildTimeline(run);
    expect(t.messages.length).toBeGreaterThan(100);
    for (const m of t.messages) {
      if (m.endAt === null) continue;
      expect(m.endUs!).toBeGreaterThanOrEqual(m.sendUs);
      expect(run.trace[m.endAt]!.kind).toBe(m.end);
    }
    expect(t.bands.some((b) => b.label.startsWith('partition'))).toBe(true);
  });

  it('windowed message queries find exactly what a full scan finds', () => {
    const t = buildTimeline(fixture());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: t.endUs }), fc.integer({ min: 0, max: 500_000 }), (from, span) => {
        const to = from + span;
        const full = t.messages.filter((m) => m.sendUs <= to && (m.endUs ?? m.sendUs) >= from && (m.endUs ?? m.sendUs) - m.sendUs <= 2_000_000);
        const { total } = messagesInWindow(t.messages, from, to, 10);
        expect(total).toBe(full.length);
      }),
      { numRuns: 50 },
    );
  });
});

describe('faultLabel', () => {
  it('says what the nemesis did, including faults aimed at the leader and its successors', () => {
    expect(faultLabel({ fault: 'disk-wiped' })).toBe('disk-wiped');
    expect(faultLabel({ armed: 'fsync-eio', path: null })).toBe('fsync-eio');
    expect(faultLabel({ resolved: 'isolate the leader with 1 follower', leader: 'n2', followers: 'n1' })).toBe('isolate the leader with 1 follower: n2 with n1');
    expect(faultLabel({ watching: 'isolate the next leader at its first append', sinceTerm: 1 })).toBe('watching: isolate the next leader at its first append');
    expect(faultLabel({ triggered: 'isolate the next leader at its first append', leader: 'n5', term: 2, index: 213 })).toBe('isolate the next leader at its first append: n5 of term 2');
    expect(faultLabel({ skipped: 'isolate the leader', why: 'no leader' })).toBe('skipped isolate the leader (no leader)');
  });
});
