// Loading a run artifact from disk for the command-line views (the terminal UI and the report):
// every failure a user can cause (no such file, a directory, not JSON, a wrong version) becomes a
// message, never a stack trace. Node.js only; the browser loads through artifact.ts directly.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArtifact, type LoadResult } from './artifact';

/** Reads a run.json, or the run.json inside a run directory. */
export function loadArtifactFile(path: string): LoadResult {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, 'run.json');
  } catch {
    return { ok: false, error: `${path}: no such file` };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  return parseArtifact(text, file);
}
