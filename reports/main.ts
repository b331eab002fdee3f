// `npm run report -- RUN.json [--out FILE]`: writes the self-contained HTML report of a run
// (default: report.html beside the run.json). Bad usage or a bad artifact exits 2 with one line
// naming the problem, never a stack trace. It never runs the simulator.

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadArtifactFile } from '../viz/artifact/load-file';
import { reportHtml } from './html';

const USAGE = 'usage: npm run report -- RUN.json [--out FILE]';

export async function main(argv: readonly string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(USAGE);
    return 0;
  }
  const files: string[] = [];
  let outFile: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--out') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return usage(err, '--out needs a file name');
      outFile = value;
      i++;
    } else if (a.startsWith('-')) {
      return usage(err, `unknown option ${a}`);
    } else {
      files.push(a);
    }
  }
  if (files.length !== 1) return usage(err, files.length === 0 ? 'which run? give the path of a run.json' : 'give exactly one run.json');
  const path = files[0] as string;
  const loaded = loadArtifactFile(path);
  if (!loaded.ok) return usage(err, loaded.error);
  const target = outFile ?? join(path.endsWith('.json') ? dirname(path) : path, 'report.html');
  const html = await reportHtml(loaded.run, `Loom report: ${loaded.run.scenario} seed ${loaded.run.seed}`);
  try {
    writeFileSync(target, html);
  } catch (error) {
    return usage(err, `cannot write ${target} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  out(`report: ${target} (${(html.length / 1e6).toFixed(1)} MB, ${loaded.run.trace.length} trace records, ${loaded.run.history.length} history events)`);
  return 0;
}

function usage(err: (line: string) => void, message: string): number {
  err(`report: ${message}`);
  err(USAGE);
  return 2;
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('main.ts')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`report: internal error: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
