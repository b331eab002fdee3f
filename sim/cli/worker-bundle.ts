// The sweep workers' code as one plain JavaScript file, built with esbuild (which tsx itself runs
// on). A worker process is started without the CLI's TypeScript loader: registering tsx in each
// worker costs it some 0.6 s of transpiling and loader round trips before its first seed, paid
// again by every worker of every sweep. Loading one prebuilt file costs a few tens of
// milliseconds. The bundle is the same sources, so the runs are the same, byte for byte.
//
// Building the bundle costs some 0.3 s of every sweep before any worker can start (a fixed cost
// that a sweep in one process never pays). It is kept in the temporary directory with the list of
// the files it was built from and a SHA-256 of each; the next sweep uses it when every one of
// those files still has the same content (a change to any source, the entry's imports included,
// changes its file's hash), and builds afresh otherwise. Content, not modification times, decides.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkerBundle {
  /** The file a Worker runs. */
  readonly url: URL;
  /** Call when the sweep is over (a cached bundle stays for the next sweep). */
  readonly dispose: () => void;
  /** Whether it was found in the cache rather than built by this sweep. */
  readonly cached: boolean;
}

/** One input of a cached bundle: a path (absolute) and the SHA-256 of its content. */
interface CachedInput {
  readonly path: string;
  readonly sha256: string;
}

interface CacheIndex {
  readonly format: typeof CACHE_FORMAT;
  readonly esbuild: string;
  readonly entry: string;
  /** The bundle's file name in the cache directory. */
  readonly bundle: string;
  readonly inputs: readonly CachedInput[];
}

const CACHE_FORMAT = 'loom-sweep-worker-cache/1';
const INDEX_FILE = 'index.json';
/** A bound on the inputs an index may list (the bundle has a few hundred). */
const CACHED_INPUTS_MAX = 10_000;

const ENTRY = fileURLToPath(new URL('./sweep-worker.ts', import.meta.url));

/**
 * The worker bundle: from the cache when its sources are unchanged, else built (and cached when
 * the cache directory is writable), or null when esbuild is not at hand (the caller falls back to tsx).
 */
export async function bundleSweepWorker(cacheDir: string | null = defaultCacheDir()): Promise<WorkerBundle | null> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  if (cacheDir !== null) {
    const hit = cachedBundle(cacheDir, esbuild.version);
    if (hit !== null) return { url: new URL(`file://${hit}`), dispose: () => {}, cached: true };
  }
  const dir = mkdtempSync(join(tmpdir(), 'loom-sweep-worker-'));
  const outfile = join(dir, 'sweep-worker.cjs');
  let inputs: string[];
  try {
    const result = await esbuild.build({
      entryPoints: [ENTRY],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
      metafile: true,
    });
    // Paths in the metafile are relative to esbuild's working directory (this process's).
    inputs = Object.keys(result.metafile.inputs).map((p) => resolve(p));
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const published = cacheDir === null ? null : publish(cacheDir, esbuild.version, outfile, inputs);
  if (published !== null) {
    rmSync(dir, { recursive: true, force: true });
    return { url: new URL(`file://${published}`), dispose: () => {}, cached: false };
  }
  return { url: new URL(`file://${outfile}`), dispose: () => rmSync(dir, { recursive: true, force: true }), cached: false };
}

/** One cache per checkout (named by its entry's path): sweeps of different checkouts never replace each other's bundle. */
function defaultCacheDir(): string {
  return join(tmpdir(), `loom-sweep-worker-cache-${createHash('sha256').update(ENTRY).digest('hex').slice(0, 12)}`);
}

/** The cached bundle's path when the index matches this esbuild, this entry and every input's content; else null. */
function cachedBundle(cacheDir: string, esbuildVersion: string): string | null {
  let index: CacheIndex;
  try {
    index = JSON.parse(readFileSync(join(cacheDir, INDEX_FILE), 'utf8')) as CacheIndex;
  } catch {
    return null; // no cache yet, or one being replaced: build
  }
  if (index.format !== CACHE_FORMAT || index.esbuild !== esbuildVersion || index.entry !== ENTRY) return null;
  if (!Array.isArray(index.inputs) || index.inputs.length === 0 || index.inputs.length > CACHED_INPUTS_MAX) return null;
  for (const input of index.inputs) {
    if (sha256Of(input.path) !== input.sha256) return null;
  }
  const bundle = join(cacheDir, index.bundle);
  return existsSync(bundle) ? bundle : null;
}

/**
 * Copies the fresh bundle into the cache under a name of its content's hash, then replaces the
 * index (a rename: a reader sees the old index or the new one, never half of one). Bundles of
 * other content are removed: their sources have changed. Returns the cached path, or null when
 * the cache cannot be written (the sweep then uses its own copy).
 */
function publish(cacheDir: string, esbuildVersion: string, outfile: string, inputPaths: readonly string[]): string | null {
  try {
    const inputs: CachedInput[] = [];
    for (const path of inputPaths) {
      const sha256 = sha256Of(path);
      if (sha256 === null) return null;
      inputs.push({ path, sha256 });
    }
    const code = readFileSync(outfile);
    const name = `sweep-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`;
    mkdirSync(cacheDir, { recursive: true });
    const bundle = join(cacheDir, name);
    const staging = `${bundle}.${process.pid}.tmp`;
    writeFileSync(staging, code);
    renameSync(staging, bundle);
    const index: CacheIndex = { format: CACHE_FORMAT, esbuild: esbuildVersion, entry: ENTRY, bundle: name, inputs };
    const indexStaging = join(cacheDir, `${INDEX_FILE}.${process.pid}.tmp`);
    writeFileSync(indexStaging, JSON.stringify(index));
    renameSync(indexStaging, join(cacheDir, INDEX_FILE));
    for (const file of readdirSync(cacheDir).sort()) {
      if (file.startsWith('sweep-worker-') && file.endsWith('.cjs') && file !== name) rmSync(join(cacheDir, file), { force: true });
    }
    return bundle;
  } catch {
    return null;
  }
}

function sha256Of(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}
