// The cluster timeline: one lane per node with its role over true time (and the term written in
// the segment), crashes and restarts, pauses and partitions as shaded bands, faults and clock
// changes as marks, and each node's clock offset below. Only the visible window is drawn.

import * as d3 from 'd3';
import type { Lane, Segment } from '../artifact/timeline';
import { clipFor, cursorLine, drawAxis, el, legend, seconds, type ViewContext } from './context';

const ROW_PX = 22;
const OFFSET_PX = 90;

export const LANE_COLOR: Record<Lane, string> = {
  leader: 'var(--leader)',
  candidate: 'var(--candidate)',
  'pre-candidate': 'var(--precandidate)',
  follower: 'var(--follower)',
  up: '#cfd8dc',
  crashed: 'var(--down)',
  'failed-closed': '#000',
  paused: 'var(--paused)',
  'not started': '#eee',
};

const LANE_SHORT: Record<Lane, string> = {
  leader: 'L', candidate: 'C', 'pre-candidate': 'P', follower: 'F', up: 'up', crashed: 'DOWN', 'failed-closed': 'FAILED', paused: 'paused', 'not started': '',
};

export function drawCluster(ctx: ViewContext, root: HTMLElement): void {
  const { timeline } = ctx;
  const section = el('section', { id: 'cluster' });
  section.append(el('h2', {}, 'Cluster timeline'));
  section.append(el('p', { class: 'hint' }, 'Scroll to zoom, drag to pan (all time views follow), double-click to reset; click a lane to set the scrubber. Segment text: L leader, C candidate, P pre-candidate, F follower, t = term.'));
  section.append(legend([
    [LANE_COLOR.leader, 'leader (L)'], [LANE_COLOR.candidate, 'candidate (C)'], [LANE_COLOR['pre-candidate'], 'pre-candidate (P)'],
    [LANE_COLOR.follower, 'follower (F)'], [LANE_COLOR.crashed, 'crashed (DOWN)'], ['var(--paused)', 'paused (band)'], ['rgba(200,54,74,0.25)', 'partition (band)'],
  ]));
  root.append(section);
  const nodes = timeline.nodes;
  const lanesPx = nodes.length * ROW_PX;
  const height = lanesPx + 26 + OFFSET_PX + 26;
  const svg = d3.select(section).append('svg').attr('width', ctx.marginLeft + ctx.plotWidth + 20).attr('height', height).attr('data-testid', 'cluster-svg');
  const clip = clipFor(svg, 'clip-cluster', ctx.plotWidth, height);
  const labels = svg.append('g').attr('transform', `translate(0,0)`);
  nodes.forEach((n, i) => labels.append('text').attr('class', 'lane-label').attr('x', 6).attr('y', i * ROW_PX + 15).text(n));
  labels.append('text').attr('x', 6).attr('y', lanesPx + 40).text('clock');
  labels.append('text').attr('x', 6).attr('y', lanesPx + 54).text('offset');
  const plot = svg.append('g').attr('transform', `translate(${ctx.marginLeft},0)`);
  const bg = plot.append('rect').attr('width', ctx.plotWidth).attr('height', lanesPx).attr('fill', 'transparent');
  const body = plot.append('g').attr('clip-path', clip);
  const moveCursor = cursorLine(ctx, plot, height);
  const axis = plot.append('g').attr('transform', `translate(0,${lanesPx})`);
  const offsetAxis = plot.append('g').attr('transform', `translate(0,${height - 24})`);
  const row = new Map(nodes.map((n, i) => [n, i]));
  const maxOffset = Math.max(1, ...timeline.offsets.map((o) => Math.abs(o.offsetUs)));
  const y = d3.scaleLinear().domain([-maxOffset, maxOffset]).range([lanesPx + 26 + OFFSET_PX, lanesPx + 30]);
  const color = d3.scaleOrdinal<string, string>(d3.schemeTableau10).domain(nodes);

  bg.on('click', (event: MouseEvent) => ctx.setCursor(Math.round(ctx.x.invert(d3.pointer(event)[0]))));
  ctx.attachZoom(svg);

  const render = (): void => {
    const x = ctx.x;
    const [fromUs, toUs] = x.domain() as [number, number];
    body.selectAll('*').remove();
    // Bands first, under the lanes.
    for (const band of timeline.bands) {
      if (band.endUs < fromUs || band.startUs > toUs) continue;
      const r = band.node === null ? { y: 0, h: lanesPx } : { y: (row.get(band.node) ?? 0) * ROW_PX, h: ROW_PX };
      body.append('rect').attr('x', x(band.startUs)).attr('y', r.y).attr('width', Math.max(1, x(band.endUs) - x(band.startUs))).attr('height', r.h)
        .attr('fill', band.node === null ? 'rgba(200,54,74,0.14)' : 'rgba(176,124,198,0.45)')
        .on('mousemove', (event: MouseEvent) => ctx.tooltip.show(event, `${band.label}\n${seconds(band.startUs)} – ${seconds(band.endUs)}`))
        .on('mouseleave', () => ctx.tooltip.hide());
      if (band.node === null && x(band.endUs) - x(band.startUs) > 80) body.append('text').attr('x', x(band.startUs) + 3).attr('y', lanesPx - 3).attr('fill', '#7a1020').text(band.label);
    }
    for (const s of visibleSegments(timeline.segments, fromUs, toUs)) {
      const i = row.get(s.node) ?? 0;
      const x0 = Math.max(-5, x(s.startUs));
      const w = Math.max(0.5, Math.min(ctx.plotWidth + 5, x(s.endUs)) - x0);
      body.append('rect').attr('class', 'segment').attr('data-lane', s.lane).attr('x', x0).attr('y', i * ROW_PX + 3).attr('width', w).attr('height', ROW_PX - 6).attr('fill', LANE_COLOR[s.lane]).attr('opacity', s.lane === 'follower' ? 0.8 : 1)
        .on('mousemove', (event: MouseEvent) => ctx.tooltip.show(event, `${s.node}: ${s.lane}, term ${s.term}\n${seconds(s.startUs)} – ${seconds(s.endUs)}`))
        .on('mouseleave', () => ctx.tooltip.hide())
        .on('click', (event: MouseEvent) => ctx.setCursor(Math.round(x.invert(d3.pointer(event, plot.node())[0]))));
      if (w > 34 && LANE_SHORT[s.lane] !== '') body.append('text').attr('x', x0 + 3).attr('y', i * ROW_PX + 15).attr('fill', s.lane === 'crashed' || s.lane === 'failed-closed' ? '#fff' : '#111').style('pointer-events', 'none').text(`${LANE_SHORT[s.lane]} t${s.term}`);
    }
    for (const p of timeline.points) {
      if (p.atUs < fromUs || p.atUs > toUs) continue;
      const i = p.node === null ? -1 : row.get(p.node) ?? -1;
      const px = x(p.atUs);
      const y0 = i < 0 ? 0 : i * ROW_PX;
      body.append('path').attr('d', d3.symbol(p.kind === 'violation' ? d3.symbolCross : p.kind === 'crash' ? d3.symbolTimes : d3.symbolTriangle, 50)()).attr('transform', `translate(${px},${y0 + ROW_PX / 2})`)
        .attr('fill', p.kind === 'violation' || p.kind === 'crash' ? 'var(--fail)' : '#333').attr('stroke', '#fff').attr('class', `mark mark-${p.kind}`)
        .on('mousemove', (event: MouseEvent) => ctx.tooltip.show(event, `${seconds(p.atUs)}  ${p.label}`))
        .on('mouseleave', () => ctx.tooltip.hide());
    }
    // Clock offsets: a step line per node.
    body.append('line').attr('x1', 0).attr('x2', ctx.plotWidth).attr('y1', y(0)).attr('y2', y(0)).attr('stroke', '#ccc');
    for (const n of nodes) {
      const points = timeline.offsets.filter((o) => o.node === n);
      if (points.length === 0) continue;
      const last = points[points.length - 1];
      const data: [number, number][] = points.map((o) => [o.atUs, o.offsetUs]);
      if (last !== undefined) data.push([timeline.endUs, last.offsetUs]);
      body.append('path').attr('d', d3.line<[number, number]>().x((d) => x(d[0])).y((d) => y(d[1])).curve(d3.curveStepAfter)(data) ?? '').attr('fill', 'none').attr('stroke', color(n)).attr('stroke-width', 1.5)
        .on('mousemove', (event: MouseEvent) => ctx.tooltip.show(event, `${n} clock offset (local - true)`))
        .on('mouseleave', () => ctx.tooltip.hide());
    }
    body.append('text').attr('x', 4).attr('y', lanesPx + 40).attr('fill', '#555').text(`±${(maxOffset / 1000).toFixed(1)} ms; ${nodes.map((n) => n).join(' ')} coloured as in the legend below`);
    // Selection and cursor.
    const op = ctx.selectedOp === null ? undefined : ctx.ops.operations[ctx.selectedOp];
    if (op !== undefined) body.append('rect').attr('class', 'sel-band').attr('x', x(op.callUs)).attr('y', 0).attr('width', Math.max(2, x(op.returnUs ?? timeline.endUs) - x(op.callUs))).attr('height', lanesPx);
    drawAxis(axis, x);
    drawAxis(offsetAxis, x);
  };
  section.append(legend(nodes.map((n) => [color(n), `${n} clock`] as const)));
  ctx.mount(render, moveCursor);
}

/** Segments overlapping the window (the list is sorted by start, so stop at the first beyond it). */
function visibleSegments(segments: readonly Segment[], fromUs: number, toUs: number): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.startUs > toUs) break;
    if (s.endUs >= fromUs) out.push(s);
  }
  return out;
}
