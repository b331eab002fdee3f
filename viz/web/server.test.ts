// Proves the viewer's server without a browser: it binds to 127.0.0.1, lists only run
// directories, serves a run's bytes, and refuses any path that is not a run name.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRuns, startViewer, type RunningViewer } from './server';

let dir: string;
let viewer: RunningViewer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loom-viewer-'));
  for (const name of ['partition-2', 'crash-10', 'not-a-run']) mkdirSync(join(dir, name));
  writeFileSync(join(dir, 'partition-2', 'run.json'), '{"format":"loom-run/1"}');
  writeFileSync(join(dir, 'crash-10', 'run.json'), '{}');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  viewer = await startViewer({ port: 0, runsDir: dir });
});

afterAll(async () => {
  await viewer.close();
});

describe('viewer server', () => {
  it('listens on 127.0.0.1 on the port it was given (0: any free one)', () => {
    expect(viewer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(viewer.port).toBeGreaterThan(0);
  });

  it('lists the directories that hold a run.json, sorted', async () => {
    expect(listRuns(dir).map((r) => r.name)).toEqual(['crash-10', 'partition-2']);
    const response = await fetch(`${viewer.url}api/runs`);
    expect(((await response.json()) as { path: string }[]).map((r) => r.path)).toEqual(['crash-10/run.json', 'partition-2/run.json']);
  });

  it('serves the page and a run', async () => {
    const page = await fetch(viewer.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="chooser"');
    const run = await fetch(`${viewer.url}runs/partition-2/run.json`);
    expect(await run.text()).toBe('{"format":"loom-run/1"}');
  });

  it('refuses paths outside the run directories', async () => {
    for (const path of ['runs/..%2Fsecret.txt/run.json', 'runs/%2e%2e/run.json', 'secret.txt', 'runs/partition-2/../../secret.txt', 'runs/nope/run.json']) {
      const response = await fetch(`${viewer.url}${path}`);
      expect([400, 404]).toContain(response.status);
      expect(await response.text()).not.toContain('secret');
    }
  });
});
