// Builds the one self-contained HTML report: the stylesheet, the run (as inert JSON) and the
// bundled script (d3 and the shared views) inlined, so the file opens from disk with no network.
// Artifact text is never written into markup here: it travels as JSON the script reads.

import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { bundleBrowser, inlineSafeJson } from '../viz/draw/bundle';
import { VIEW_CSS } from '../viz/draw/style';

const here = dirname(fileURLToPath(import.meta.url));

let cachedScript: Promise<string> | null = null;

/** The report's script (bundled once per process). */
export function reportScript(): Promise<string> {
  cachedScript ??= bundleBrowser(join(here, 'entry.ts'));
  return cachedScript;
}

/** The whole report page for a run (given as parsed JSON, already validated by the caller). */
export async function reportHtml(run: unknown, title: string): Promise<string> {
  const script = await reportScript();
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // No network at all: not even a favicon request.
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'unsafe-inline\'; style-src \'unsafe-inline\'; img-src data:">',
    `<title>${escapeText(title)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${VIEW_CSS}</style>`,
    '</head><body><main id="app"><p>Loading the run…</p><noscript>This report needs JavaScript to draw the run.</noscript></main>',
    `<script type="application/json" id="loom-run">${inlineSafeJson(run)}</script>`,
    `<script>${script}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** Text for an HTML text position (the title). */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
