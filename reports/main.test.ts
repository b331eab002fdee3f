// Proves the report command: it writes one self-contained HTML file (the script and the data
// inlined, nothing fetched), artifact text cannot close the data element, and bad usage or a bad
// artifact exits 2 with a message.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main';
import { writeFixture, HOSTILE_FIXTURE } from '../viz/testing/fixtures';
import { inlineSafeJson, inlineSafeScript } from '../viz/draw/bundle';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

describe('npm run report', () => {
  it('writes one self-contained HTML file beside the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-report-'));
    const path = writeFixture(dir, HOSTILE_FIXTURE);
    const result = await run([path]);
    expect(result.code).toBe(0);
    const html = readFileSync(join(dir, 'partition-8', 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    // The hostile key is inside the JSON, with every "<" escaped, so it cannot open a tag.
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).toContain('\\u003cscript>window.__pwned');
    expect(html.match(/<script/g)).toHaveLength(2);
  }, 60_000);

  it('writes to --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-report-'));
    const path = writeFixture(dir);
    const result = await run([path, '--out', join(dir, 'x.html')]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'x.html'), 'utf8').startsWith('<!doctype html>')).toBe(true);
  }, 60_000);

  it('exits 2 with a message for bad usage and bad artifacts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-report-'));
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ format: 'loom-run/0' }));
    writeFileSync(join(dir, 'junk.json'), 'not json');
    const cases: [string[], RegExp][] = [
      [[], /which run/],
      [['a.json', 'b.json'], /exactly one/],
      [['--frobnicate'], /unknown option --frobnicate/],
      [[join(dir, 'missing.json')], /no such file/],
      [[join(dir, 'old.json')], /"loom-run\/0"/],
      [[join(dir, 'junk.json')], /not valid JSON/],
      [[join(dir, 'old.json'), '--out'], /--out needs a file name/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.err.join('\n')).toMatch(message);
      expect(result.err.join('\n')).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});

describe('inlining', () => {
  it('leaves no way for data or script text to close its element', () => {
    expect(inlineSafeJson({ k: '</script><script>x()</script><!--' })).not.toMatch(/<\/script|<!--|</);
    expect(JSON.parse(inlineSafeJson({ k: '</script>\u2028' }))).toEqual({ k: '</script>\u2028' });
    expect(inlineSafeScript('a="</script>";b="<!--"')).not.toMatch(/<\/script|<!--/);
  });
});
