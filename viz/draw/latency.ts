// Latency over time (Jepsen style: each completed operation a point at its invocation time,
// height its latency, coloured and shaped by outcome; operations that never returned on a band
// at the top) and throughput (completions per second) below, for the visible window only.

import * as d3 from 'd3';
import { describeOperation } from '../artifact/operations';
import { clipFor, cursorLine, drawAxis, el, legend, seconds, type ViewContext } from './context';
import { OUTCOME_COLOR } from './history';

const LAT_PX = 160;
const TP_PX = 70;
const BINS = 60;

export function drawLatency(ctx: ViewContext, root: HTMLElement): void {
  const section = el('section', { id: 'latency' });
  section.append(el('h2', {}, 'Latency and throughput'));
  root.append(section);
  const ops = [...ctx.ops.operations].sort((a, b) => a.callUs - b.callUs);
  if (ops.length === 0) {
    section.append(el('p', { class: 'hint' }, 'No client operations to plot.'));
    return;
  }
  section.append(legend([[OUTCOME_COLOR.ok, 'ok (circle)'], [OUTCOME_COLOR.fail, 'fail (cross)'], [OUTCOME_COLOR.info, 'info / pending: top band (no latency)']]));
  const height = LAT_PX + TP_PX + 50;
  const svg = d3.select(section).append('svg').attr('width', ctx.marginLeft + ctx.plotWidth + 20).attr('height', height);
  const clip = clipFor(svg, 'clip-latency', ctx.plotWidth, height);
  const plot = svg.append('g').attr('transform', `translate(${ctx.marginLeft},0)`);
  const body = plot.append('g').attr('clip-path', clip);
  const moveCursor = cursorLine(ctx, plot, height);
  const yAxis = plot.append('g');
  const tpAxis = plot.append('g');
  const axis = plot.append('g').attr('transform', `translate(0,${LAT_PX + TP_PX + 20})`);
  svg.append('text').attr('x', 4).attr('y', 12).text('latency ms');
  svg.append('text').attr('x', 4).attr('y', LAT_PX + 30).text('ops/s');
  const maxLatencyMs = Math.max(1, ...ops.filter((o) => o.returnUs !== null).map((o) => ((o.returnUs as number) - o.callUs) / 1000));
  const y = d3.scaleLinear().domain([0, maxLatencyMs]).range([LAT_PX, 16]).nice();
  ctx.attachZoom(svg);
  const render = (): void => {
    const x = ctx.x;
    const [fromUs, toUs] = x.domain() as [number, number];
    body.selectAll('*').remove();
    const bins = new Array<number>(BINS).fill(0);
    const binUs = (toUs - fromUs) / BINS;
    for (const op of ops) {
      if (op.callUs > toUs) break;
      if (op.callUs < fromUs) continue;
      const px = x(op.callUs);
      const done = op.returnUs;
      const tip = (event: MouseEvent): void => ctx.tooltip.show(event, `${describeOperation(op)}\n${done === null ? 'no return' : `latency ${((done - op.callUs) / 1000).toFixed(3)} ms`} at ${seconds(op.callUs)}`);
      const shape = done === null ? d3.symbolDiamond : op.outcome === 'fail' ? d3.symbolCross : d3.symbolCircle;
      body.append('path').attr('d', d3.symbol(shape, ctx.selectedOp === op.id ? 90 : 28)()).attr('transform', `translate(${px},${done === null ? 8 : y((done - op.callUs) / 1000)})`)
        .attr('fill', OUTCOME_COLOR[op.outcome]).attr('stroke', ctx.selectedOp === op.id ? 'var(--sel)' : 'none').attr('stroke-width', 2)
        .on('mousemove', tip).on('mouseleave', () => ctx.tooltip.hide()).on('click', () => ctx.selectOp(op.id));
      if (done !== null && op.outcome === 'ok' && done >= fromUs && done <= toUs) {
        const b = Math.min(BINS - 1, Math.floor((done - fromUs) / binUs));
        bins[b] = (bins[b] ?? 0) + 1;
      }
    }
    const rates = bins.map((c) => c / (binUs / 1e6));
    const ty = d3.scaleLinear().domain([0, Math.max(1, ...rates)]).range([LAT_PX + TP_PX + 16, LAT_PX + 26]).nice();
    rates.forEach((rate, i) => {
      const x0 = x(fromUs + i * binUs);
      body.append('rect').attr('x', x0).attr('width', Math.max(1, ctx.plotWidth / BINS - 1)).attr('y', ty(rate)).attr('height', ty(0) - ty(rate)).attr('fill', '#7a9cc6')
        .on('mousemove', (event: MouseEvent) => ctx.tooltip.show(event, `${rate.toFixed(1)} ok ops/s from ${seconds(fromUs + i * binUs)}`)).on('mouseleave', () => ctx.tooltip.hide());
    });
    yAxis.call(d3.axisLeft(y).ticks(5));
    tpAxis.call(d3.axisLeft(ty).ticks(3));
    drawAxis(axis, x);
  };
  ctx.mount(render, moveCursor);
}
