// The summary view: what ran (scenario, seed, nodes, duration), the verdicts with their one-line
// explanations, the counts, and the fault schedule. Text only, all of it from the artifact.

import { describeScheduled } from '../artifact/describe';
import { el, seconds, type ViewContext } from './context';

export function drawSummary(ctx: ViewContext, root: HTMLElement): void {
  const run = ctx.run;
  const section = el('section', { id: 'summary' });
  section.append(el('h2', {}, 'Summary'));
  const failing = run.verdicts.filter((v) => v.verdict !== 'pass');
  section.append(el('p', { class: failing.length > 0 ? 'verdict-fail' : 'verdict-pass', 'data-testid': 'overall' }, failing.length > 0 ? `FAILED: ${failing.length} of ${run.verdicts.length} checks did not pass` : `PASSED: all ${run.verdicts.length} checks`));
  const verdicts = el('table');
  verdicts.append(row('th', ['check', 'verdict', 'summary']));
  for (const v of run.verdicts) {
    const tr = row('td', [v.check, v.verdict.toUpperCase(), v.summary]);
    tr.children[1]?.setAttribute('class', `verdict-${v.verdict}`);
    verdicts.append(tr);
  }
  section.append(verdicts);
  const s = run.summary;
  const facts: [string, string][] = [
    ['system', String(s['system'] ?? '?')],
    ['nodes', String(s['nodes'] ?? ctx.timeline.nodes.length)],
    ['simulated', seconds(ctx.timeline.endUs)],
    ['trace records', String(run.trace.length)],
    ['trace hash', String(s['traceHash'] ?? '?')],
    ['messages', JSON.stringify(s['messages'] ?? {})],
    ['client operations', `${ctx.ops.operations.length} (${count(ctx, 'ok')} ok, ${count(ctx, 'fail')} fail, ${count(ctx, 'info')} info, ${count(ctx, 'pending')} pending)`],
  ];
  const table = el('table', { class: 'mono' });
  for (const [k, v] of facts) table.append(row('td', [k, v]));
  section.append(el('h3', {}, 'Run'), table);
  const schedule = el('table', { class: 'mono', id: 'schedule' });
  schedule.append(row('th', ['at', 'fault']));
  for (const entry of run.schedule) schedule.append(row('td', [seconds(entry.atUs), describeScheduled(entry)]));
  section.append(el('h3', {}, `Fault schedule (${run.schedule.length})`), schedule);
  for (const w of ctx.ops.warnings.slice(0, 5)) section.append(el('p', { class: 'hint' }, `note: ${w}`));
  root.append(section);
}

function count(ctx: ViewContext, outcome: string): number {
  return ctx.ops.operations.filter((o) => o.outcome === outcome).length;
}

function row(cell: 'td' | 'th', values: readonly string[]): HTMLTableRowElement {
  const tr = el('tr');
  for (const v of values) tr.append(el(cell, {}, v));
  return tr;
}
