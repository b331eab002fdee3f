// The sweep workers' code as one plain JavaScript file, built once per sweep with esbuild (which
// tsx itself runs on). A worker thread does not inherit the CLI's TypeScript loader: registering
// tsx in each worker costs it some 0.6 s of transpiling and loader round trips before its first
// seed, paid again by every worker of every sweep. Loading one prebuilt file costs a few tens of
// milliseconds. The bundle is the same sources, so the runs are the same, byte for byte.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkerBundle {
  /** The file a Worker runs. */
  readonly url: URL;
  /** Removes the bundle; call when the sweep is over. */
  readonly dispose: () => void;
}

/** Builds the worker bundle into a fresh temporary directory, or null when esbuild is not at hand (the caller falls back to tsx). */
export async function bundleSweepWorker(): Promise<WorkerBundle | null> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'loom-sweep-worker-'));
  const outfile = join(dir, 'sweep-worker.cjs');
  try {
    await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./sweep-worker.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
    });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return { url: new URL(`file://${outfile}`), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
