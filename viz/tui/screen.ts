// The terminal UI's screen as plain lines: header, node table, the selected node's details, the
// network, the current event in words, the client operations around the cursor (the ones the
// checker could not place marked in words), the fault schedule, and the keys. Pure: the same
// state gives the same lines, each at most `width` characters, `height` lines in all, so it fits
// an 80x24 terminal. Colour is only ever an extra: every fact is also in the text.

import type { RunArtifact, TraceRecord } from '../artifact/artifact';
import { describeRecord, describeScheduled, formatDeltaUs } from '../artifact/describe';
import { describeOperation, operationTags, type OperationsView } from '../artifact/operations';
import { isServerLike, type ClusterState, type NodeState } from '../artifact/state';
import { SPEEDS, type CursorState } from './cursor';

export type Tone = 'plain' | 'title' | 'dim' | 'alert' | 'leader' | 'down';

export interface Line {
  readonly text: string;
  readonly tone: Tone;
}

export interface ScreenInput {
  readonly run: RunArtifact;
  readonly state: ClusterState;
  readonly cursor: CursorState;
  readonly operations: OperationsView;
  readonly width: number;
  readonly height: number;
}

export const KEYS_LINE_1 = '←/→ step  ↑/↓ ×100  f/F fault  r/R role  v next viol.  V first viol.  g/G ends';
export const KEYS_LINE_2 = 'space play/pause  +/- speed  1-9 node  q quit';

export function renderScreen(input: ScreenInput): Line[] {
  const { run, state, cursor, operations, width, height } = input;
  const record: TraceRecord | undefined = cursor.position >= 0 ? run.trace[cursor.position] : undefined;
  const failing = run.verdicts.filter((v) => v.verdict !== 'pass');
  const head: Line[] = [
    line(`loom replay  ${run.scenario} seed ${run.seed}  #${cursor.position}/${cursor.length - 1}  ${seconds(state.trueUs)}  ${cursor.playing ? `PLAYING ×${SPEEDS[cursor.speed]}` : `paused ×${SPEEDS[cursor.speed]}`}`, 'title'),
    line(failing.length === 0 ? `verdicts: all ${run.verdicts.length} pass` : `FAIL: ${failing.map((v) => `${v.check}: ${v.summary}`).join('; ')}`, failing.length === 0 ? 'dim' : 'alert'),
    line('node status  role       term commit lease        clock       disk', 'dim'),
  ];
  const shownNodes = displayedNodes(state);
  const nodes = shownNodes.map((n, i) => nodeLine(n, i === cursor.selected, record));
  const selected = shownNodes[cursor.selected];
  const detail: Line[] = selected === undefined ? [] : [
    line(`${selected.id} log: ${selected.logTail.length > 0 ? selected.logTail.slice(-3).join(' · ') : '(no log events yet)'}`, 'dim'),
    line(`${selected.id} disk: ${diskWords(selected)}`, 'dim'),
  ];
  const net: Line[] = [
    line(`network: ${state.partitionSpec === null ? 'whole' : `PARTITIONED ${state.partitionSpec}`}  groups ${state.groups.map((g) => `[${g.join(' ')}]`).join(' ')}`, state.partitionSpec === null ? 'plain' : 'alert'),
    line(`in flight: ${state.inFlightTotal}${state.inFlight.length > 0 ? '  ' + state.inFlight.slice(0, 4).map((m) => `${m.from}→${m.to} ${m.type}`).join(', ') : ''}`, 'plain'),
  ];
  const event: Line[] = [
    line(record === undefined ? 'event: (before the first record)' : `event: ${describeRecord(record)}`, record?.kind === 'violation' ? 'alert' : 'plain'),
  ];
  if (cursor.message !== null) event.push(line(`» ${cursor.message}`, 'alert'));
  const keys: Line[] = [line(KEYS_LINE_1, 'dim'), line(KEYS_LINE_2, 'dim')];
  const fixed = head.length + nodes.length + detail.length + net.length + event.length + keys.length;
  const room = Math.max(0, height - fixed);
  const scheduleRows = Math.min(2, Math.max(0, room - 2));
  const opRows = Math.max(0, room - scheduleRows);
  const lines = [...head, ...nodes, ...detail, ...net, ...event, ...operationLines(operations, state.trueUs, opRows), ...scheduleLines(run, state.trueUs, scheduleRows), ...keys];
  return lines.slice(0, height).map((l) => ({ text: fit(l.text, width), tone: l.tone }));
}

/**
 * The nodes that get a row: the servers (clients would crowd out the rest of the screen; their
 * operations are listed below), at most NODE_ROWS_MAX of them.
 */
export function displayedNodes(state: ClusterState): readonly NodeState[] {
  const servers = state.nodes.filter((n) => isServerLike(n.id));
  return (servers.length > 0 ? servers : state.nodes).slice(0, NODE_ROWS_MAX);
}

export const NODE_ROWS_MAX = 9;

// ---------------------------------------------------------------------------------------------

function nodeLine(n: NodeState, selected: boolean, record: TraceRecord | undefined): Line {
  const here = record !== undefined && record.node === n.id ? '◂' : ' ';
  const lease = n.leaseExpiryLocalUs === null ? '-' : `→${(n.leaseExpiryLocalUs / 1e6).toFixed(3)}s`;
  const status = n.status === 'not started' ? 'new' : n.status === 'failed-closed' ? 'FAILED' : n.status === 'up' ? 'up' : n.status.toUpperCase();
  const role = n.role === 'leader' ? 'LEADER' : n.role;
  const text = `${selected ? '>' : ' '}${pad(n.id, 4)}${pad(status, 8)}${pad(role, 11)}${pad(String(n.term), 5)}${pad(String(n.commitIndex) + (n.appliedIndex === null ? '' : `/${n.appliedIndex}`), 7)}${pad(lease, 13)}${pad(formatDeltaUs(n.clockOffsetUs) + (n.driftPpm !== 0 ? ` ${n.driftPpm}ppm` : ''), 12)}${diskShort(n)}${here}`;
  const tone: Tone = n.status === 'crashed' || n.status === 'failed-closed' || n.status === 'paused' ? 'down' : n.role === 'leader' ? 'leader' : 'plain';
  return line(text, tone);
}

function diskShort(n: NodeState): string {
  const d = n.disk;
  return `${d.ops}op${d.errors > 0 ? ` ${d.errors}err` : ''}${d.faults > 0 ? ` ${d.faults}flt` : ''}`;
}

function diskWords(n: NodeState): string {
  const d = n.disk;
  return `${d.ops} ops, ${d.bytesWritten} B written, ${d.fsyncs} fsyncs, ${d.errors} errors${d.lastError !== null ? ` (last ${d.lastError})` : ''}, ${d.faults} faults${d.lastFault !== null ? ` (last ${d.lastFault})` : ''}, crashes lost ${d.lostWrites} / tore ${d.tornWrites} writes`;
}

function operationLines(view: OperationsView, atUs: number, rows: number): Line[] {
  if (rows <= 0) return [];
  const ops = view.operations;
  if (ops.length === 0) return [line('client operations: none in this run\'s history', 'dim')].slice(0, rows);
  // The operations around the cursor: those open at the instant first, then the nearest by call time.
  let nearest = 0;
  for (let i = 0; i < ops.length; i++) if ((ops[i]?.callUs ?? 0) <= atUs) nearest = i;
  const count = rows - 1;
  const start = Math.max(0, Math.min(nearest - Math.floor(count / 2), ops.length - count));
  const shown = ops.slice(start, start + count);
  const verdict = view.verdict === null ? 'no linearizability verdict' : `linearizability ${view.verdict.verdict}`;
  const out: Line[] = [line(`client operations (${ops.length}, ${verdict}):`, 'dim')];
  for (const op of shown) {
    const open = op.callUs <= atUs && (op.returnUs ?? Number.POSITIVE_INFINITY) >= atUs;
    const tags = operationTags(op);
    const mark = op.stuck ? '!!' : op.concurrentWithStuck ? ' ~' : open ? ' *' : '  ';
    out.push(line(`${mark}${seconds(op.callUs).padStart(11)} ${describeOperation(op)}${tags.length > 0 ? ` [${tags.join(', ')}]` : ''}`, op.stuck ? 'alert' : 'plain'));
  }
  return out;
}

function scheduleLines(run: RunArtifact, atUs: number, rows: number): Line[] {
  if (rows <= 0) return [];
  const upcoming = run.schedule.filter((e) => e.atUs > atUs);
  const past = run.schedule.length - upcoming.length;
  const next = upcoming.slice(0, 3).map((e) => `${seconds(e.atUs)} ${describeScheduled(e)}`).join('; ');
  return [line(`fault schedule: ${run.schedule.length} faults, ${past} done${upcoming.length > 0 ? `; next: ${next}` : ''}`, 'dim')].slice(0, rows);
}

function seconds(us: number): string {
  return `${(us / 1e6).toFixed(6)}s`;
}

function line(text: string, tone: Tone): Line {
  return { text, tone };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width - 1) + ' ' : text.padEnd(width);
}

function fit(text: string, width: number): string {
  // Control characters from the artifact must not reach the terminal.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '·');
  return clean.length <= width ? clean : clean.slice(0, width - 1) + '…';
}
