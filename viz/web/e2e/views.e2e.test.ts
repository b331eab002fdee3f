// End-to-end tests in a real browser (Debian's chromium through playwright-core): the viewer and
// the report open a failing run, the operation the checker cannot place is highlighted, scrubbing
// time changes the node panel, a bad artifact gives a visible message, and a hostile key is shown
// as text and runs no script. Screenshots go to the OS temp dir.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from './browser';
import { startViewer, type RunningViewer } from '../server';
import { writeFixture, HOSTILE_FIXTURE, HOSTILE_KEY } from '../../testing/fixtures';

/** The part of the hostile key that survives JSON quoting in the checker's part label. */
const HOSTILE_SCRIPT = HOSTILE_KEY.slice(0, HOSTILE_KEY.indexOf('</script>') + 9);
import { reportHtml } from '../../../reports/html';
import { fixture, hostileFixture } from '../../testing/cached';

let browser: LaunchedBrowser;
let viewer: RunningViewer;
let dir: string;
const shots = mkdtempSync(join(tmpdir(), 'loom-viz-shots-'));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loom-viz-e2e-'));
  writeFixture(dir);
  writeFixture(dir, HOSTILE_FIXTURE);
  mkdirSync(join(dir, 'bad-1'));
  writeFileSync(join(dir, 'bad-1', 'run.json'), JSON.stringify({ format: 'loom-run/0', seed: 1 }));
  // On a fresh machine this installs Debian's chromium first (apt-get, as root), which takes minutes.
  browser = await launchChromium();
  viewer = await startViewer({ port: 0, runsDir: dir });
}, 900_000);

afterAll(async () => {
  await viewer?.close();
  await browser?.close();
});

/** A page that records script errors, so a test can prove there were none. */
async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, errors };
}

async function scrubTo(page: Page, us: number): Promise<void> {
  await page.evaluate((value) => {
    const input = document.getElementById('scrub-range') as HTMLInputElement;
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, us);
}

async function nodeTable(page: Page): Promise<string> {
  return page.locator('#node-table').innerText();
}

/** The checks shared by the viewer and the report on the failing run. */
async function checkFailingRun(page: Page, shot: string): Promise<void> {
  const stuck = page.locator('g.op.stuck');
  await expect.poll(() => stuck.count()).toBe(1);
  expect(await stuck.locator('text').textContent()).toContain('CANNOT BE PLACED');
  expect(await page.locator('[data-testid=selected-op]').textContent()).toContain('CANNOT BE PLACED');
  const concurrentOrPrefix = await page.locator('g.op text').allTextContents();
  expect(concurrentOrPrefix.some((t) => /^#1\b/.test(t))).toBe(true);
  const before = await nodeTable(page);
  await scrubTo(page, 3_000_000);
  await expect.poll(() => nodeTable(page)).not.toBe(before);
  const during = await nodeTable(page);
  expect(during).toMatch(/leader/);
  expect(await page.locator('#scrub-time').textContent()).toContain('3.000000 s');
  await page.screenshot({ path: join(shots, shot), fullPage: true });
}

describe('browser viewer', () => {
  it('opens a failing run from the list, highlights the stuck operation and scrubs time', async () => {
    const { page, errors } = await newPage();
    await page.goto(viewer.url);
    await page.waitForFunction(() => (document.getElementById('run-select') as HTMLSelectElement | null)?.options.length === 3);
    await page.selectOption('#run-select', 'partition-7/run.json');
    await page.click('#run-open');
    await page.waitForSelector('body[data-state=ready]');
    await checkFailingRun(page, 'viewer-failing.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a clear message for a wrong-version artifact from the list', async () => {
    const { page } = await newPage();
    await page.goto(`${viewer.url}?run=bad-1/run.json`);
    await page.waitForSelector('body[data-state=error]');
    expect(await page.locator('#load-error').textContent()).toContain('"loom-run/0"');
    await page.close();
  });

  it('opens a file from the picker, and a malformed dropped file gives a message', async () => {
    const { page, errors } = await newPage();
    await page.goto(viewer.url);
    await page.waitForSelector('#file-input');
    await page.setInputFiles('#file-input', join(dir, 'partition-7', 'run.json'));
    await page.waitForSelector('body[data-state=ready]');
    expect(await page.locator('g.op.stuck').count()).toBe(1);
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['{"format": "loom-run/1", "trace": [1,'], 'broken.json', { type: 'application/json' }));
      document.getElementById('drop-zone')?.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector('body[data-state=error]');
    expect(await page.locator('#load-error').textContent()).toMatch(/broken\.json is not valid JSON/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a hostile key as text and runs no script from it', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${viewer.url}?run=partition-8/run.json`);
    await page.waitForSelector('body[data-state=ready]');
    const labels = await page.locator('#history h3').allTextContents();
    expect(labels.some((t) => t.includes(HOSTILE_SCRIPT))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('HTML report', () => {
  it('opens from a file with no network, highlights the stuck operation and scrubs time', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, await reportHtml(fixture(), 'report'));
    const { page, errors } = await newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready=true]');
    await checkFailingRun(page, 'report-failing.png');
    // Linked views: choosing another operation moves the selection panel to it.
    await page.locator('g.op:not(.stuck)').first().dispatchEvent('click');
    await expect.poll(() => page.locator('[data-testid=selected-op]').textContent()).not.toContain('CANNOT BE PLACED');
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a hostile key as text and runs no script from it', async () => {
    const file = join(dir, 'hostile.html');
    writeFileSync(file, await reportHtml(hostileFixture(), 'hostile'));
    const { page, errors } = await newPage();
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready=true]');
    const labels = await page.locator('#history h3').allTextContents();
    expect(labels.some((t) => t.includes(HOSTILE_SCRIPT))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('img[src=x]').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'report-hostile.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
