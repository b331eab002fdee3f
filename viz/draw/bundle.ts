// Bundles a browser entry (the report's or the viewer page's) with d3 and the shared drawing code
// into one self-contained script, with esbuild, in memory. Node.js only. The result is safe to
// inline in an HTML <script> element: no "</script" or "<!--" survives in it.

import { build } from 'esbuild';

export async function bundleBrowser(entryPath: string): Promise<string> {
  const result = await build({
    entryPoints: [entryPath],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild produced nothing for ${entryPath}`);
  return inlineSafeScript(file.text);
}

/** Makes script text safe inside <script>...</script> (in JS, "<\/" and "<\!" mean the same). */
export function inlineSafeScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON safe inside <script type="application/json">: no "<" at all, so no tag can close it. */
export function inlineSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
