// The sweep worker bundle's cache: reused while its sources are unchanged, rebuilt when any
// input's content differs from what the cache recorded.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleSweepWorker } from './worker-bundle';

describe('the sweep worker bundle', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is built once, then taken from the cache until an input changes', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'loom-bundle-cache-test-'));
    dirs.push(cache);
    const first = await bundleSweepWorker(cache);
    expect(first?.cached).toBe(false);
    const second = await bundleSweepWorker(cache);
    expect(second?.cached).toBe(true);
    expect(second?.url.href).toBe(first?.url.href);
    expect(readFileSync(second?.url ?? '', 'utf8')).toContain('sweep-worker must run as a sweep');
    // An input whose recorded hash no longer matches (as after an edit) forces a fresh build.
    const indexPath = join(cache, 'index.json');
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { inputs: { path: string; sha256: string }[] };
    expect(index.inputs.some((i) => i.path.endsWith('sim/world.ts'))).toBe(true);
    (index.inputs[0] as { sha256: string }).sha256 = '0'.repeat(64);
    writeFileSync(indexPath, JSON.stringify(index));
    const third = await bundleSweepWorker(cache);
    expect(third?.cached).toBe(false);
    expect((await bundleSweepWorker(cache))?.cached).toBe(true);
  }, 60_000);

  it('without a cache directory, builds into a temporary directory it removes on dispose', async () => {
    const bundle = await bundleSweepWorker(null);
    expect(bundle?.cached).toBe(false);
    const path = bundle?.url ?? '';
    expect(readFileSync(path, 'utf8').length).toBeGreaterThan(0);
    bundle?.dispose();
    expect(() => readFileSync(path)).toThrow();
  }, 60_000);
});
