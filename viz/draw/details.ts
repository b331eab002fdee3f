// The selection panel: the chosen operation in words with its checker tags and states, and the
// trace records linked to it (those of its client within its interval), each in words. It is how
// the linked views explain themselves; it never shows anything the artifact does not hold.

import { describeRecord } from '../artifact/describe';
import { describeOperation, operationTags, partialFor } from '../artifact/operations';
import { el, seconds, type ViewContext } from './context';

const LINKED_SHOWN_MAX = 60;

export function drawDetails(ctx: ViewContext, root: HTMLElement): void {
  const section = el('section', { id: 'details' });
  section.append(el('h2', {}, 'Selected operation'));
  const body = el('div', { class: 'details mono', id: 'details-body' });
  section.append(body);
  root.append(section);
  let shown: number | null | undefined;
  const render = (): void => {
    if (shown === ctx.selectedOp) return;
    shown = ctx.selectedOp;
    body.replaceChildren();
    const op = ctx.selectedOp === null ? undefined : ctx.ops.operations[ctx.selectedOp];
    if (op === undefined) {
      const stuck = ctx.ops.operations.find((o) => o.stuck);
      body.append(el('p', { class: 'hint' }, 'Click an operation in the client history or the latency plot to see it here and highlight its messages.'));
      if (stuck !== undefined) {
        const button = el('button', { type: 'button', id: 'select-stuck' }, `Select the operation that cannot be placed (${describeOperation(stuck)})`);
        button.addEventListener('click', () => {
          ctx.selectOp(stuck.id);
          ctx.zoomTo(Math.max(0, stuck.callUs - 200_000), (stuck.returnUs ?? stuck.callUs) + 200_000);
        });
        body.append(button);
      }
      return;
    }
    const tags = operationTags(op);
    body.append(el('p', { 'data-testid': 'selected-op' }, `${describeOperation(op)}${tags.length > 0 ? `  [${tags.join(', ')}]` : ''}`));
    body.append(el('p', {}, `invoked ${seconds(op.callUs)}, ${op.returnUs === null ? 'never returned' : `returned ${seconds(op.returnUs)} (${((op.returnUs - op.callUs) / 1000).toFixed(3)} ms)`}`));
    const part = op.part === null ? undefined : ctx.ops.parts.find((p) => p.index === op.part);
    if (part !== undefined) {
      const after = part.statesAfter.get(op.id);
      if (after !== undefined) body.append(el('p', {}, `state after it in the longest prefix: ${after.join(' | ')}`));
      const partial = partialFor(ctx.ops, op);
      if (partial !== null) {
        body.append(el('p', {}, `longest partial linearization containing it (${partial.length} operations, numbered →n in the history):`));
        const list = el('ol', { id: 'partial-linearization' });
        for (const id of partial) {
          const other = ctx.ops.operations[id];
          if (other !== undefined) list.append(el('li', {}, describeOperation(other)));
        }
        body.append(list);
      }
      if (op.stuck) body.append(el('p', { class: 'verdict-fail' }, `cannot be placed after the longest prefix; last consistent state ${part.statesBefore.join(' | ')}`));
    }
    const linked = [...ctx.linked];
    body.append(el('p', {}, `${linked.length} trace records of its client in its interval${linked.length > LINKED_SHOWN_MAX ? ` (first ${LINKED_SHOWN_MAX})` : ''}:`));
    const list = el('ul');
    for (const p of linked.slice(0, LINKED_SHOWN_MAX)) {
      const r = ctx.run.trace[p];
      if (r !== undefined) list.append(el('li', {}, `#${p} ${seconds(r.trueUs)} ${describeRecord(r)}`));
    }
    body.append(list);
    const clear = el('button', { type: 'button' }, 'Clear selection');
    clear.addEventListener('click', () => ctx.selectOp(null));
    body.append(clear);
  };
  ctx.onChange(render);
  render();
}
