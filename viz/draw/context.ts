// What the drawn views share: the run and its derived data, one time scale that zoom and pan
// change for every time-based view at once, the selected operation and the trace records linked
// to it, the scrubber's instant, and one tooltip. Views register a redraw and are called when any
// of these change. Browser code; everything from the artifact reaches the page as text nodes
// (d3's .text, textContent), never as markup.

import * as d3 from 'd3';
import type { RunArtifact } from '../artifact/artifact';
import { buildOperations, linkedRecords, type OperationsView } from '../artifact/operations';
import { ClusterReplay } from '../artifact/state';
import { buildTimeline, type Timeline } from '../artifact/timeline';

export type TimeScale = d3.ScaleLinear<number, number>;

export interface ViewContext {
  readonly run: RunArtifact;
  readonly timeline: Timeline;
  readonly ops: OperationsView;
  replay(): ClusterReplay;
  readonly marginLeft: number;
  readonly plotWidth: number;
  /** The current (zoomed) scale: true µs to x within the plot. */
  x: TimeScale;
  readonly baseX: TimeScale;
  selectedOp: number | null;
  /** Trace positions linked to the selected operation. */
  linked: ReadonlySet<number>;
  cursorUs: number | null;
  readonly tooltip: Tooltip;
  /** Registers a full redraw (zoom, selection) and, optionally, a cheap one for the cursor alone. */
  onChange(redraw: () => void, cursorMoved?: () => void): void;
  /** A time view's usual wiring: draw now, redraw in full on change, move only the cursor when it moves. */
  mount(render: () => void, moveCursor: () => void): void;
  selectOp(id: number | null): void;
  setCursor(us: number | null): void;
  /** Lets this SVG zoom and pan the shared time scale (wheel, drag, double-click). */
  attachZoom(svg: d3.Selection<SVGSVGElement, unknown, null, undefined>): void;
  /** Zooms every view to [fromUs, toUs]. */
  zoomTo(fromUs: number, toUs: number): void;
}

export interface Tooltip {
  show(event: MouseEvent, text: string): void;
  hide(): void;
}

export const MARGIN_LEFT = 70;
const ZOOM_MAX = 200_000;

export function createContext(run: RunArtifact, container: HTMLElement): ViewContext {
  const timeline = buildTimeline(run);
  const ops = buildOperations(run);
  const width = Math.max(600, Math.min(1460, container.clientWidth || 1200));
  const plotWidth = width - MARGIN_LEFT - 20;
  const baseX = d3.scaleLinear().domain([0, Math.max(1, timeline.endUs)]).range([0, plotWidth]);
  const redraws: (() => void)[] = [];
  const cursorRedraws: (() => void)[] = [];
  let fullPending = false;
  const svgs: SVGSVGElement[] = [];
  let replay: ClusterReplay | null = null;
  let scheduled = false;
  const tooltip = makeTooltip();
  const zoom = d3
    .zoom<SVGSVGElement, unknown>()
    .scaleExtent([1, ZOOM_MAX])
    .translateExtent([[0, 0], [plotWidth, 0]])
    .extent([[0, 0], [plotWidth, 0]])
    .on('zoom', (event: d3.D3ZoomEvent<SVGSVGElement, unknown>) => {
      ctx.x = event.transform.rescaleX(baseX);
      // Keep every other SVG's own zoom state equal, so the next gesture starts from here.
      for (const svg of svgs) if (svg !== event.sourceEvent?.currentTarget) (svg as unknown as { __zoom: d3.ZoomTransform }).__zoom = event.transform;
      changed();
    });

  /** Schedules one redraw per frame: everything, or only the cursor when that is all that moved. */
  const changed = (cursorOnly = false): void => {
    if (!cursorOnly) fullPending = true;
    if (scheduled) return;
    scheduled = true;
    const run = (): void => {
      scheduled = false;
      const full = fullPending;
      fullPending = false;
      for (const redraw of full ? redraws : cursorRedraws) redraw();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
    else run();
  };

  const ctx: ViewContext = {
    run,
    timeline,
    ops,
    replay: () => (replay ??= new ClusterReplay(run)),
    marginLeft: MARGIN_LEFT,
    plotWidth,
    x: baseX.copy(),
    baseX,
    selectedOp: null,
    linked: new Set(),
    cursorUs: null,
    tooltip,
    onChange: (redraw, cursorMoved) => {
      redraws.push(redraw);
      cursorRedraws.push(cursorMoved ?? redraw);
    },
    mount(render, moveCursor) {
      ctx.onChange(() => {
        render();
        moveCursor();
      }, moveCursor);
      render();
      moveCursor();
    },
    selectOp: (id) => {
      ctx.selectedOp = id;
      const op = id === null ? undefined : ops.operations[id];
      ctx.linked = new Set(op === undefined ? [] : linkedRecords(run.trace, op, timeline.endUs));
      changed();
    },
    setCursor: (us) => {
      ctx.cursorUs = us;
      changed(true);
    },
    attachZoom: (svg) => {
      const node = svg.node();
      if (node === null) return;
      svgs.push(node);
      svg.call(zoom).on('dblclick.zoom', null);
      svg.on('dblclick', () => ctx.zoomTo(0, timeline.endUs));
    },
    zoomTo: (fromUs, toUs) => {
      const span = Math.max(1, toUs - fromUs);
      const k = Math.max(1, Math.min(ZOOM_MAX, (timeline.endUs || 1) / span));
      const transform = d3.zoomIdentity.scale(k).translate(-baseX(fromUs), 0);
      ctx.x = transform.rescaleX(baseX);
      for (const svg of svgs) (svg as unknown as { __zoom: d3.ZoomTransform }).__zoom = transform;
      changed();
    },
  };
  return ctx;
}

function makeTooltip(): Tooltip {
  let div = document.getElementById('tooltip');
  if (div === null) {
    div = document.createElement('div');
    div.id = 'tooltip';
    document.body.appendChild(div);
  }
  const el = div;
  return {
    show(event, text) {
      el.textContent = text;
      el.style.display = 'block';
      el.style.left = `${Math.min(window.innerWidth - 540, event.clientX + 12)}px`;
      el.style.top = `${event.clientY + 14}px`;
    },
    hide() {
      el.style.display = 'none';
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers the views share.

/** An element with text content (never markup) and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function seconds(us: number): string {
  return `${(us / 1e6).toFixed(6)} s`;
}

/** A time axis under a plot, in seconds. */
export function drawAxis(g: d3.Selection<SVGGElement, unknown, null, undefined>, x: TimeScale): void {
  g.selectAll('*').remove();
  g.attr('class', 'axis').call(d3.axisBottom(x).ticks(8).tickFormat((d) => `${(Number(d) / 1e6).toFixed(Number(x.domain()[1]) - Number(x.domain()[0]) < 20_000 ? 6 : 3)}s`));
}

/** A vertical line at the scrubber's instant, kept outside the redrawn layer; returns its updater. */
export function cursorLine(ctx: ViewContext, parent: d3.Selection<SVGGElement, unknown, null, undefined>, height: number): () => void {
  const line = parent.append('line').attr('class', 'cursor-line').attr('y1', 0).attr('y2', height);
  return () => {
    const us = ctx.cursorUs;
    const px = us === null ? -1 : ctx.x(us);
    const visible = us !== null && px >= 0 && px <= ctx.plotWidth;
    line.attr('visibility', visible ? 'visible' : 'hidden').attr('x1', px).attr('x2', px);
  };
}

/** A clip path for the plot area of an SVG, returning its url(). */
export function clipFor(svg: d3.Selection<SVGSVGElement, unknown, null, undefined>, id: string, width: number, height: number): string {
  svg.append('defs').append('clipPath').attr('id', id).append('rect').attr('x', 0).attr('y', 0).attr('width', width).attr('height', height);
  return `url(#${id})`;
}

export function legend(items: readonly (readonly [string, string])[]): HTMLElement {
  const div = el('div', { class: 'legend' });
  for (const [color, label] of items) {
    const item = el('span');
    const swatch = el('span', { class: 'sw' });
    swatch.style.background = color;
    item.append(swatch, document.createTextNode(label));
    div.append(item);
  }
  return div;
}
