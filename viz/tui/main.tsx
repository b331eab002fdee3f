// `npm run replay -- RUN.json`: opens a run artifact in the terminal UI. Bad usage or a bad file
// exits 2 with one line saying what is wrong, never a stack trace; it never runs the simulator.

import { render } from 'ink';
import { loadArtifactFile } from '../artifact/load-file';
import { App } from './app';

const USAGE = 'usage: npm run replay -- RUN.json   (a runs/<scenario>-<seed>/run.json or its directory)';

function main(argv: readonly string[]): number | null {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const files = argv.filter((a) => !a.startsWith('-'));
  const unknown = argv.filter((a) => a.startsWith('-'));
  if (unknown.length > 0) return usageError(`unknown option ${unknown[0]}`);
  if (files.length !== 1) return usageError(files.length === 0 ? 'which run? give the path of a run.json' : 'give exactly one run.json');
  const loaded = loadArtifactFile(files[0] as string);
  if (!loaded.ok) return usageError(loaded.error);
  if (!process.stdin.isTTY) return usageError('the replay UI needs an interactive terminal (stdin is not a TTY); use npm run report for a file');
  const app = render(<App run={loaded.run} />);
  // Leave as soon as the UI is gone, whatever still holds the event loop (stdin in raw mode).
  app.waitUntilExit().then(
    () => process.exit(0),
    () => process.exit(1),
  );
  return null;
}

function usageError(message: string): number {
  console.error(`replay: ${message}`);
  console.error(USAGE);
  return 2;
}

const code = main(process.argv.slice(2));
if (code !== null) process.exitCode = code;
