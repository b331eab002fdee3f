// Makes sure Debian's chromium is present for the browser tests: if /usr/bin/chromium is missing
// and we run as root, install it with apt-get (what CI does on a fresh machine); otherwise fail
// with a message saying what to install. It must never download a browser of a test tool's own.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that work in containers and CI: no sandbox, no GPU, no background traffic. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type EnsureResult = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string };

/** Returns the browser's path, installing it first when it is missing and we may. */
export function ensureChromium(log: (line: string) => void = () => {}): EnsureResult {
  if (existsSync(CHROMIUM_PATH)) return { ok: true, path: CHROMIUM_PATH };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    return { ok: false, message: `the browser tests need Debian's chromium at ${CHROMIUM_PATH}: run (as root) apt-get update && apt-get install -y chromium` };
  }
  try {
    log('chromium is missing: apt-get update && apt-get install -y chromium');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: 300_000 });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'ignore', env, timeout: 900_000 });
  } catch (error) {
    return { ok: false, message: `installing chromium failed (${(error as Error).message.split('\n')[0]}): run apt-get update && apt-get install -y chromium` };
  }
  return existsSync(CHROMIUM_PATH) ? { ok: true, path: CHROMIUM_PATH } : { ok: false, message: `apt-get finished but ${CHROMIUM_PATH} is still missing: install the chromium package` };
}

// Run directly (npx tsx viz/web/e2e/ensure-chromium.ts): install if needed, exit 0 / 1.
if (process.argv[1] !== undefined && process.argv[1].endsWith('ensure-chromium.ts')) {
  const result = ensureChromium((line) => console.log(line));
  if (result.ok) console.log(`chromium: ${result.path}`);
  else console.error(result.message);
  process.exitCode = result.ok ? 0 : 1;
}
