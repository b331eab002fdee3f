// The time scrubber: a slider over true time that replays the cluster's state at that instant
// (through ClusterReplay, the same module the terminal UI uses) into a node table, the network,
// and the record at the cursor in words. Moving it also draws the instant on every time view.

import type { ClusterState } from '../artifact/state';
import { describeRecord, formatDeltaUs } from '../artifact/describe';
import { el, seconds, type ViewContext } from './context';

export function drawScrubber(ctx: ViewContext, root: HTMLElement): void {
  const section = el('section', { id: 'scrubber' });
  section.append(el('h2', {}, 'Cluster state at an instant'));
  const bar = el('div', { class: 'scrub' });
  const back = el('button', { type: 'button', title: 'previous record' }, '◀ record');
  const slider = el('input', { type: 'range', min: '0', max: String(ctx.timeline.endUs), step: '1', value: '0', id: 'scrub-range', 'aria-label': 'time' });
  const forward = el('button', { type: 'button', title: 'next record' }, 'record ▶');
  const label = el('span', { class: 'mono', id: 'scrub-time' }, seconds(0));
  bar.append(back, slider, forward, label);
  section.append(bar, el('p', { class: 'hint' }, 'Drag the slider, or click on the cluster timeline, to replay the state at that instant.'));
  const event = el('p', { class: 'mono', id: 'scrub-event' });
  const network = el('p', { class: 'mono', id: 'scrub-network' });
  const table = el('table', { class: 'nodes mono', id: 'node-table' });
  section.append(event, network, table);
  root.append(section);

  let position = -1;
  const show = (state: ClusterState): void => {
    position = state.position;
    const record = position >= 0 ? ctx.run.trace[position] : undefined;
    label.textContent = `${seconds(state.trueUs)}  record #${position}`;
    event.textContent = record === undefined ? 'before the first record' : `#${position} ${describeRecord(record)}`;
    network.textContent = `network: ${state.partitionSpec === null ? 'whole' : `PARTITIONED ${state.partitionSpec}`}; groups ${state.groups.map((g) => `[${g.join(' ')}]`).join(' ')}; ${state.inFlightTotal} messages in flight`;
    table.replaceChildren();
    const head = el('tr');
    for (const h of ['node', 'status', 'role', 'term', 'commit', 'lease (local)', 'clock offset', 'disk', 'recent log events']) head.append(el('th', {}, h));
    table.append(head);
    for (const n of state.nodes) {
      const tr = el('tr', { 'data-node': n.id, class: n.role === 'leader' ? 'leader' : '' });
      const cells = [
        n.id,
        n.status,
        n.role,
        String(n.term),
        String(n.commitIndex) + (n.appliedIndex === null ? '' : ` / applied ${n.appliedIndex}`),
        n.leaseExpiryLocalUs === null ? '-' : seconds(n.leaseExpiryLocalUs),
        formatDeltaUs(n.clockOffsetUs) + (n.driftPpm !== 0 ? ` (${n.driftPpm} ppm)` : ''),
        `${n.disk.ops} ops, ${n.disk.errors} err, ${n.disk.faults} faults${n.disk.lostWrites + n.disk.tornWrites > 0 ? `, ${n.disk.lostWrites} lost / ${n.disk.tornWrites} torn` : ''}`,
        n.logTail.slice(-3).join(' · '),
      ];
      cells.forEach((c, i) => tr.append(el('td', { class: i === 1 && n.status !== 'up' ? 'down' : i === 2 ? 'role' : '' }, c)));
      table.append(tr);
    }
  };
  const atTime = (us: number): void => {
    show(ctx.replay().atTime(us));
  };
  let shownUs: number | null = null;
  const atPosition = (p: number): void => {
    const state = ctx.replay().at(p);
    slider.value = String(state.trueUs);
    show(state);
    // Several records share an instant: keep this exact one rather than the last at that time.
    shownUs = state.trueUs;
    ctx.setCursor(state.trueUs);
  };
  slider.addEventListener('input', () => ctx.setCursor(Number(slider.value)));
  back.addEventListener('click', () => atPosition(Math.max(0, position - 1)));
  forward.addEventListener('click', () => atPosition(Math.min(ctx.run.trace.length - 1, position + 1)));
  ctx.onChange(() => {
    const us = ctx.cursorUs ?? 0;
    if (us === shownUs) return;
    shownUs = us;
    if (Number(slider.value) !== us) slider.value = String(us);
    atTime(us);
  });
  show(ctx.replay().at(-1));
}
