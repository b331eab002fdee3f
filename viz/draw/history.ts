// The history timeline, in the spirit of Porcupine's visualisation: per part (key), one row per
// client, each operation a bar from invocation to completion coloured by outcome and labelled in
// words; for a part the checker found illegal, the longest linearizable prefix is numbered in
// the order the checker found, the operation that cannot be placed is outlined and tagged, and
// those concurrent with it are dashed. Clicking an operation selects it in every view.

import * as d3 from 'd3';
import { describeOperation, operationTags, partialFor, type ClientOperation } from '../artifact/operations';
import { clipFor, cursorLine, drawAxis, el, legend, seconds, type ViewContext } from './context';

const ROW_PX = 20;
/** Numbers the parts' clip paths so their ids are unique on the page. */
let partCount = 0;
export const OUTCOME_COLOR: Record<ClientOperation['outcome'], string> = { ok: 'var(--ok)', fail: 'var(--fail)', info: 'var(--info)', pending: 'var(--pending)' };

interface Group {
  readonly label: string;
  readonly verdict: string | null;
  readonly note: string;
  readonly ops: readonly ClientOperation[];
  readonly failing: boolean;
}

export function drawHistory(ctx: ViewContext, root: HTMLElement): void {
  const section = el('section', { id: 'history' });
  section.append(el('h2', {}, 'Client history'));
  root.append(section);
  const view = ctx.ops;
  if (view.operations.length === 0) {
    section.append(el('p', { class: 'hint' }, 'This run recorded no client operations (its history is empty).'));
    return;
  }
  section.append(el('p', { class: view.verdict?.verdict === 'fail' ? 'verdict-fail' : 'hint', 'data-testid': 'lin-verdict' }, view.verdict === null ? 'No linearizability verdict in this artifact.' : `Linearizability: ${view.verdict.verdict.toUpperCase()}: ${view.verdict.summary}`));
  section.append(legend([
    [OUTCOME_COLOR.ok, 'ok'], [OUTCOME_COLOR.fail, 'fail'], [OUTCOME_COLOR.info, 'info (outcome unknown, no return)'], [OUTCOME_COLOR.pending, 'pending'],
    ['#fff', 'thick red outline + "✗ CANNOT BE PLACED": the operation the checker could not place'], ['#fff', 'dashed outline + "~": concurrent with it'], ['#fff', '#n: place in the longest linearizable prefix'], ['#fff', '→n: place in the selected operation\'s partial linearization'],
  ]));
  for (const group of groupsOf(ctx)) drawGroup(ctx, section, group);
}

function groupsOf(ctx: ViewContext): Group[] {
  const ops = ctx.ops.operations;
  const groups: Group[] = [];
  const taken = new Set<number>();
  if (ctx.ops.parts.length > 0) {
    const parts = [...ctx.ops.parts].sort((a, b) => Number(b.stuck !== null) - Number(a.stuck !== null) || a.index - b.index);
    for (const part of parts) {
      const members = ops.filter((o) => o.part === part.index);
      const keys = new Set(members.map((o) => o.key));
      // Failed operations were left out of the check; show them with the part of their key.
      const extra = ops.filter((o) => o.part === null && o.key !== null && keys.has(o.key));
      const all = [...members, ...extra].sort((a, b) => a.id - b.id);
      for (const o of all) taken.add(o.id);
      const note = part.stuck !== null ? `longest linearizable prefix: ${part.prefixLength} of ${members.length} operations; last consistent state ${part.statesBefore.join(' | ')}` : `${members.length} operations`;
      groups.push({ label: part.label, verdict: part.verdict, note, ops: all, failing: part.stuck !== null });
    }
    const rest = ops.filter((o) => !taken.has(o.id));
    if (rest.length > 0) groups.push({ label: 'not checked', verdict: null, note: `${rest.length} operations the checker did not place in a part (failed operations did not take effect)`, ops: rest, failing: false });
    return groups;
  }
  const byKey = d3.group(ops, (o) => o.key ?? '(no key)');
  for (const key of [...byKey.keys()].sort()) groups.push({ label: `key ${JSON.stringify(key)}`, verdict: null, note: `${byKey.get(key)?.length ?? 0} operations`, ops: byKey.get(key) ?? [], failing: false });
  return groups;
}

function drawGroup(ctx: ViewContext, section: HTMLElement, group: Group): void {
  const wrap = el('div', { class: 'part', 'data-part': group.label });
  wrap.append(el('h3', { class: group.failing ? 'verdict-fail' : '' }, `${group.label}${group.verdict !== null ? `: ${group.verdict === 'illegal' ? 'NOT LINEARIZABLE' : group.verdict}` : ''}`));
  wrap.append(el('p', { class: 'hint mono' }, group.note));
  section.append(wrap);
  const clients = [...new Set(group.ops.map((o) => String(o.process)))].sort((a, b) => (Number(a) - Number(b)) || (a < b ? -1 : a > b ? 1 : 0));
  const row = new Map(clients.map((c, i) => [c, i]));
  const height = clients.length * ROW_PX + 28;
  const svg = d3.select(wrap).append('svg').attr('width', ctx.marginLeft + ctx.plotWidth + 20).attr('height', height);
  const clip = clipFor(svg, `clip-part-${++partCount}`, ctx.plotWidth, height);
  clients.forEach((c, i) => svg.append('text').attr('class', 'lane-label').attr('x', 6).attr('y', i * ROW_PX + 14).text(`client ${c}`));
  const plot = svg.append('g').attr('transform', `translate(${ctx.marginLeft},0)`);
  const body = plot.append('g').attr('clip-path', clip);
  const moveCursor = cursorLine(ctx, plot, height);
  const axis = plot.append('g').attr('transform', `translate(0,${clients.length * ROW_PX})`);
  ctx.attachZoom(svg);
  const ops = [...group.ops].sort((a, b) => a.callUs - b.callUs);
  const render = (): void => {
    const x = ctx.x;
    const [fromUs, toUs] = x.domain() as [number, number];
    body.selectAll('*').remove();
    // The selected operation's partial linearization, numbered in the order the checker found.
    const selected = ctx.selectedOp === null ? undefined : ctx.ops.operations[ctx.selectedOp];
    const partial = selected === undefined ? null : partialFor(ctx.ops, selected);
    const partialOrder = new Map((partial ?? []).map((id, i) => [id, i + 1]));
    for (const op of ops) {
      if (op.callUs > toUs) break;
      const endUs = op.returnUs ?? ctx.timeline.endUs;
      if (endUs < fromUs) continue;
      const i = row.get(String(op.process)) ?? 0;
      const x0 = Math.max(-5, x(op.callUs));
      const w = Math.max(3, Math.min(ctx.plotWidth + 5, x(endUs)) - x0);
      const tags = operationTags(op);
      const classes = ['op', op.stuck ? 'stuck' : '', op.concurrentWithStuck ? 'concurrent' : '', ctx.selectedOp === op.id ? 'selected' : ''].filter((c) => c !== '').join(' ');
      const g = body.append('g').attr('class', classes).attr('data-op-id', String(op.id)).attr('data-outcome', op.outcome)
        .on('click', (event: MouseEvent) => {
          event.stopPropagation();
          ctx.selectOp(ctx.selectedOp === op.id ? null : op.id);
        })
        .on('mousemove', (event: MouseEvent) => ctx.tooltip.show(event, `${describeOperation(op)}${tags.length > 0 ? `\n[${tags.join(', ')}]` : ''}\ncalled ${seconds(op.callUs)}, ${op.returnUs === null ? 'never returned' : `returned ${seconds(op.returnUs)}`}`))
        .on('mouseleave', () => ctx.tooltip.hide());
      g.append('rect').attr('x', x0).attr('y', i * ROW_PX + 2).attr('width', w).attr('height', ROW_PX - 4).attr('rx', 2).attr('fill', OUTCOME_COLOR[op.outcome]).attr('fill-opacity', op.part === null && ctx.ops.parts.length > 0 ? 0.35 : 0.75);
      const inPartial = partialOrder.get(op.id);
      const text = `${op.stuck ? '✗ CANNOT BE PLACED ' : op.concurrentWithStuck ? '~ ' : ''}${op.prefixOrder !== null ? `#${op.prefixOrder + 1} ` : ''}${inPartial !== undefined ? `→${inPartial} ` : ''}${op.description ?? describeOperation(op)}`;
      // The checker's marks are always written out, even on a bar too narrow for its label.
      const marked = op.stuck || op.concurrentWithStuck || op.prefixOrder !== null || inPartial !== undefined;
      const short = `${op.concurrentWithStuck ? '~' : ''}${op.prefixOrder !== null ? `#${op.prefixOrder + 1}` : ''}${inPartial !== undefined ? `→${inPartial}` : ''}`;
      if (op.stuck || text.length * 6 <= w) g.append('text').attr('x', x0 + 3).attr('y', i * ROW_PX + 14).text(text);
      else if (marked) g.append('text').attr('x', x0 + w + 2).attr('y', i * ROW_PX + 14).text(short);
      else if (w > 28) g.append('text').attr('x', x0 + 3).attr('y', i * ROW_PX + 14).text(text.slice(0, Math.max(1, Math.floor(w / 6))));
    }
    drawAxis(axis, x);
  };
  ctx.mount(render, moveCursor);
}
