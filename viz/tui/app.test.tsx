// Proves the terminal UI with ink-testing-library: keys in, frames out. The frame fits 80x24,
// the keys are on screen, stepping and jumping move the cursor, the operation the checker could
// not place is marked in words, and the play reducer advances without a clock.

import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from './app';
import { collectMarks } from '../artifact/describe';
import { initialCursor, reduceCursor, SPEEDS } from './cursor';
import { renderScreen, KEYS_LINE_1 } from './screen';
import { buildOperations } from '../artifact/operations';
import { ClusterReplay } from '../artifact/state';
import { fixture, hostileFixture } from '../testing/cached';

const RIGHT = '\u001B[C';
const LEFT = '\u001B[D';

/** Waits until the frame satisfies `ok` (Ink renders asynchronously), bounded. */
async function frameWhere(lastFrame: () => string | undefined, ok: (frame: string) => boolean): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const frame = lastFrame() ?? '';
    if (ok(frame)) return frame;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return lastFrame() ?? '';
}

const positionOf = (frame: string): number => Number(/#(\d+)\//.exec(frame)?.[1] ?? -1);

describe('terminal UI', () => {
  it('fits 80x24 and shows the keys', async () => {
    const { lastFrame, unmount } = render(<App run={fixture()} width={80} height={24} />);
    const frame = await frameWhere(lastFrame, (f) => f.includes('loom replay'));
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(frame).toContain(KEYS_LINE_1.slice(0, 20));
    expect(frame).toContain('n1');
    unmount();
  });

  it('steps forward and back one event with the arrow keys', async () => {
    const { lastFrame, stdin, unmount } = render(<App run={fixture()} width={80} height={24} />);
    await frameWhere(lastFrame, (f) => positionOf(f) === 0);
    stdin.write(RIGHT);
    await frameWhere(lastFrame, (f) => positionOf(f) === 1);
    stdin.write(RIGHT);
    expect(positionOf(await frameWhere(lastFrame, (f) => positionOf(f) === 2))).toBe(2);
    stdin.write(LEFT);
    expect(positionOf(await frameWhere(lastFrame, (f) => positionOf(f) === 1))).toBe(1);
    unmount();
  });

  it('jumps to the next fault and shows it in words', async () => {
    const run = fixture();
    const firstFault = collectMarks(run.trace).fault[0]!;
    const { lastFrame, stdin, unmount } = render(<App run={run} width={80} height={24} />);
    await frameWhere(lastFrame, (f) => positionOf(f) === 0);
    stdin.write('f');
    const frame = await frameWhere(lastFrame, (f) => positionOf(f) === firstFault);
    expect(positionOf(frame)).toBe(firstFault);
    expect(frame).toMatch(/event: network partitioned|event: .*crash|event: .*clock|event: .*pause/);
    expect(frame).toContain('PARTITIONED');
    unmount();
  });

  it('says so when there is no violation to jump to', async () => {
    const { lastFrame, stdin, unmount } = render(<App run={fixture()} width={80} height={24} />);
    await frameWhere(lastFrame, (f) => positionOf(f) === 0);
    stdin.write('V');
    const frame = await frameWhere(lastFrame, (f) => f.includes('no violation'));
    expect(frame).toContain('this run has no violation in its trace');
    unmount();
  });

  it('marks the operation that cannot be placed in words when the cursor is near it', () => {
    const run = fixture();
    const operations = buildOperations(run);
    const stuck = operations.operations.find((o) => o.stuck)!;
    const replay = new ClusterReplay(run);
    const state = replay.atTime(stuck.callUs);
    const cursor = { ...initialCursor(run.trace.length, replay.nodeIds.length), position: state.position };
    const lines = renderScreen({ run, state, cursor, operations, width: 80, height: 24 });
    const marked = lines.filter((l) => l.text.startsWith('!!'));
    expect(marked).toHaveLength(1);
    expect(marked[0]!.text).toContain('CANNOT');
  });

  it('shows a hostile key as inert text without control characters', () => {
    const run = hostileFixture();
    const operations = buildOperations(run);
    const stuck = operations.operations.find((o) => o.stuck)!;
    const replay = new ClusterReplay(run);
    const state = replay.atTime(stuck.callUs);
    const cursor = { ...initialCursor(run.trace.length, replay.nodeIds.length), position: state.position };
    const text = renderScreen({ run, state, cursor, operations, width: 200, height: 24 }).map((l) => l.text).join('\n');
    expect(text).toContain('<script>');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});

describe('cursor reducer', () => {
  it('play advances by the speed per tick and stops at the end', () => {
    const marks = { fault: [], role: [], violation: [] };
    let s = initialCursor(50, 3);
    s = reduceCursor(s, { kind: 'faster' }, marks);
    s = reduceCursor(s, { kind: 'togglePlay' }, marks);
    s = reduceCursor(s, { kind: 'tick' }, marks);
    expect(s.position).toBe(SPEEDS[s.speed]);
    expect(s.speed).toBe(2);
    for (let i = 0; i < 20; i++) s = reduceCursor(s, { kind: 'tick' }, marks);
    expect(s.position).toBe(49);
    expect(s.playing).toBe(false);
  });

  it('paused, a tick does nothing; steps are clamped to the trace', () => {
    const marks = { fault: [5], role: [], violation: [7] };
    let s = initialCursor(10, 1);
    expect(reduceCursor(s, { kind: 'tick' }, marks).position).toBe(0);
    expect(reduceCursor(s, { kind: 'step', by: -5 }, marks).position).toBe(0);
    expect(reduceCursor(s, { kind: 'step', by: 500 }, marks).position).toBe(9);
    s = reduceCursor(s, { kind: 'firstViolation' }, marks);
    expect(s.position).toBe(7);
    expect(reduceCursor(s, { kind: 'previous', mark: 'fault' }, marks).position).toBe(5);
  });
});
