// Mounts every drawn view of a run into a page: the summary, the scrubber with the cluster state,
// the cluster timeline, the client history, latency and throughput, the message diagram and the
// selection panel, all sharing one time scale and one selection. Used by the report (data
// inlined) and the viewer (data loaded by the user). It must never use markup built from
// artifact text: every string goes in as text.

import type { RunArtifact } from '../artifact/artifact';
import { createContext, el, type ViewContext } from './context';
import { drawSummary } from './summary';
import { drawScrubber } from './scrubber';
import { drawCluster } from './cluster';
import { drawHistory } from './history';
import { drawLatency } from './latency';
import { drawSequence } from './sequence';
import { drawDetails } from './details';

export function mountViews(root: HTMLElement, run: RunArtifact): ViewContext {
  root.replaceChildren();
  root.append(el('h1', {}, `Loom run: ${run.scenario}, seed ${run.seed}`));
  const ctx = createContext(run, root);
  drawSummary(ctx, root);
  drawScrubber(ctx, root);
  drawCluster(ctx, root);
  drawHistory(ctx, root);
  drawDetails(ctx, root);
  drawLatency(ctx, root);
  drawSequence(ctx, root);
  // Open at the first operation the checker could not place, if any: that is why the run failed.
  const stuck = ctx.ops.operations.find((o) => o.stuck);
  if (stuck !== undefined) ctx.selectOp(stuck.id);
  return ctx;
}

/** A visible message in place of the views (a bad file), never a blank page. */
export function showError(root: HTMLElement, message: string): void {
  root.replaceChildren(el('div', { class: 'notice error', role: 'alert', id: 'load-error' }, message));
}
