// The message sequence diagram for the visible time window: a row per process, each message a
// line from its send to its delivery (solid), drop (dashed, ending in ×) or, still in flight at
// the end of the run, to the edge. Messages linked to the selected operation are highlighted.
// Zoom in to choose the window; it draws at most MESSAGES_MAX lines (an even sample) and says so.

import * as d3 from 'd3';
import { messagesInWindow } from '../artifact/timeline';
import { clipFor, cursorLine, drawAxis, el, seconds, type ViewContext } from './context';

const ROW_PX = 30;
export const MESSAGES_MAX = 1500;

export function drawSequence(ctx: ViewContext, root: HTMLElement): void {
  const section = el('section', { id: 'sequence' });
  section.append(el('h2', {}, 'Messages'));
  const status = el('p', { class: 'hint', id: 'sequence-status' });
  section.append(status);
  root.append(section);
  const nodes = ctx.timeline.nodes;
  const row = new Map(nodes.map((n, i) => [n, i]));
  const height = nodes.length * ROW_PX + 30;
  const svg = d3.select(section).append('svg').attr('width', ctx.marginLeft + ctx.plotWidth + 20).attr('height', height);
  const clip = clipFor(svg, 'clip-sequence', ctx.plotWidth, height);
  nodes.forEach((n, i) => svg.append('text').attr('class', 'lane-label').attr('x', 6).attr('y', i * ROW_PX + ROW_PX / 2 + 4).text(n));
  const plot = svg.append('g').attr('transform', `translate(${ctx.marginLeft},0)`);
  const body = plot.append('g').attr('clip-path', clip);
  const moveCursor = cursorLine(ctx, plot, height);
  const axis = plot.append('g').attr('transform', `translate(0,${nodes.length * ROW_PX})`);
  const yOf = (n: string): number => (row.get(n) ?? 0) * ROW_PX + ROW_PX / 2;
  ctx.attachZoom(svg);
  const render = (): void => {
    const x = ctx.x;
    const [fromUs, toUs] = x.domain() as [number, number];
    body.selectAll('*').remove();
    for (const n of nodes) body.append('line').attr('x1', 0).attr('x2', ctx.plotWidth).attr('y1', yOf(n)).attr('y2', yOf(n)).attr('stroke', '#e3e3e3');
    const { shown, total, stride } = messagesInWindow(ctx.timeline.messages, fromUs, toUs, MESSAGES_MAX);
    status.textContent = total === 0
      ? `No messages between ${seconds(fromUs)} and ${seconds(toUs)}.`
      : `${total} messages between ${seconds(fromUs)} and ${seconds(toUs)}${stride > 1 ? `; showing every ${stride}th (${shown.length}): zoom in (scroll) to see them all` : ''}. Solid: delivered; dashed ending in ×: dropped; dotted: still in flight at the end.`;
    for (const m of shown) {
      const linked = ctx.linked.has(m.sendAt) || (m.endAt !== null && ctx.linked.has(m.endAt));
      const endUs = m.endUs ?? ctx.timeline.endUs;
      const cls = `msg${m.end === 'drop' ? ' drop' : m.end === 'in flight' ? ' flight' : ''}${linked ? ' linked' : ''}`;
      body.append('line').attr('class', cls).attr('x1', x(m.sendUs)).attr('y1', yOf(m.from)).attr('x2', x(endUs)).attr('y2', yOf(m.to)).style('pointer-events', 'stroke')
        .on('mousemove', (event: MouseEvent) => ctx.tooltip.show(event, `${m.type} ${m.from} → ${m.to}\nsent ${seconds(m.sendUs)} (#${m.sendAt}), ${m.end}${m.endUs !== null ? ` ${seconds(m.endUs)} (#${m.endAt})` : ''}`))
        .on('mouseleave', () => ctx.tooltip.hide());
      if (m.end === 'drop') body.append('text').attr('x', x(endUs) - 3).attr('y', yOf(m.to) + 4).attr('fill', 'var(--fail)').text('×');
    }
    drawAxis(axis, x);
  };
  ctx.mount(render, moveCursor);
}
