// The viewers' benchmark: builds a run artifact of at least 100 000 trace records (a real
// simulator run with the fixture history), then times what every view does first: validating
// the artifact, building the state checkpoints, seeking, laying out the timeline, and, when
// Debian's chromium is installed, the time to first render of the viewer page and of the report.
// Reads real time (it is a benchmark); lines that do are marked.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArtifact } from './artifact/artifact';
import { ClusterReplay } from './artifact/state';
import { buildTimeline } from './artifact/timeline';
import { buildOperations } from './artifact/operations';
import { buildFixture } from './testing/fixtures';
import { CHROMIUM_PATH } from './web/e2e/ensure-chromium';

const RECORDS_MIN = 100_000;
const SEEKS = 200;

export async function runVizBench(print: (line: string) => void): Promise<void> {
  const now = (): number => performance.now(); // wall-clock-ok
  let t = now();
  const run = buildFixture({ durationUs: 150_000_000, seed: 3 });
  if (run.trace.length < RECORDS_MIN) throw new Error(`the bench artifact has only ${run.trace.length} records`);
  const text = JSON.stringify(run);
  print(`viz bench: artifact with ${run.trace.length} trace records, ${run.history.length} history events, ${(text.length / 1e6).toFixed(1)} MB (built in ${(now() - t).toFixed(0)} ms)`);

  t = now();
  const loaded = parseArtifact(text);
  if (!loaded.ok) throw new Error(loaded.error);
  print(`  parse + validate:            ${(now() - t).toFixed(1)} ms`);
  t = now();
  const replay = new ClusterReplay(loaded.run);
  print(`  state checkpoints:           ${(now() - t).toFixed(1)} ms (${replay.checkpointCount} checkpoints, every ${replay.checkpointEvery} records)`);
  t = now();
  let sink = 0;
  for (let i = 0; i < SEEKS; i++) sink += replay.at(Math.floor(((i * 7919) % SEEKS) * (run.trace.length / SEEKS))).position;
  print(`  seek (random position):      ${((now() - t) / SEEKS).toFixed(3)} ms per seek (${SEEKS} seeks, checksum ${sink % 1000})`);
  t = now();
  const timeline = buildTimeline(loaded.run);
  print(`  timeline layout:             ${(now() - t).toFixed(1)} ms (${timeline.segments.length} segments, ${timeline.messages.length} messages)`);
  t = now();
  buildOperations(loaded.run);
  print(`  operations + checker join:   ${(now() - t).toFixed(1)} ms`);

  if (!existsSync(CHROMIUM_PATH)) {
    print(`  first render in chromium:    skipped (${CHROMIUM_PATH} is not installed: npx tsx viz/web/e2e/ensure-chromium.ts)`);
    return;
  }
  const { launchChromium } = await import('./web/e2e/browser');
  const { startViewer } = await import('./web/server');
  const { reportHtml } = await import('../reports/html');
  const dir = mkdtempSync(join(tmpdir(), 'loom-viz-bench-'));
  const runDir = join(dir, 'big-1');
  (await import('node:fs')).mkdirSync(runDir);
  writeFileSync(join(runDir, 'run.json'), text);
  const reportFile = join(dir, 'report.html');
  writeFileSync(reportFile, await reportHtml(loaded.run, 'bench'));
  const browser = await launchChromium();
  const viewer = await startViewer({ port: 0, runsDir: dir });
  try {
    const page = await browser.context.newPage();
    t = now();
    await page.goto(`${viewer.url}?run=big-1/run.json`);
    await page.waitForSelector('body[data-state=ready]', { timeout: 120_000 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    print(`  viewer first render:         ${(now() - t).toFixed(0)} ms (load page, fetch ${(text.length / 1e6).toFixed(1)} MB, validate, draw, one frame)`);
    t = now();
    await page.evaluate(async () => {
      const input = document.getElementById('scrub-range') as HTMLInputElement;
      for (let i = 1; i <= 20; i++) {
        input.value = String(Math.floor((Number(input.max) * i) / 21));
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      }
    });
    print(`  viewer scrub:                ${((now() - t) / 20).toFixed(1)} ms per scrub step (20 steps: replay the state, move the cursor in every view)`);
    const report = await browser.context.newPage();
    t = now();
    await report.goto(`file://${reportFile}`);
    await report.waitForSelector('body[data-ready=true]', { timeout: 120_000 });
    await report.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    print(`  report first render:         ${(now() - t).toFixed(0)} ms (open the file from disk, parse, draw, one frame)`);
  } finally {
    await viewer.close();
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('bench.ts')) {
  runVizBench((line) => console.log(line)).catch((error: unknown) => {
    console.error(`viz bench failed: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
