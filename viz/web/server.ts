// `npm run viewer [--port N] [--runs DIR]`: serves the browser viewer on 127.0.0.1 only. The page
// (styles and the bundled script) is built once at start; /api/runs lists the runs under the runs
// directory and /runs/<name>/run.json serves one of them. It serves nothing else: no path from a
// request ever reaches the file system unless it names a run directory exactly.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { bundleBrowser } from '../draw/bundle';
import { VIEW_CSS } from '../draw/style';

export interface ViewerOptions {
  /** 0 picks any free port. */
  readonly port: number;
  readonly runsDir: string;
}

export interface RunningViewer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const RUNS_LISTED_MAX = 2000;
const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
const here = dirname(fileURLToPath(import.meta.url));

export async function startViewer(options: ViewerOptions): Promise<RunningViewer> {
  const page = pageHtml(await bundleBrowser(join(here, 'page.ts')));
  const runsDir = resolve(options.runsDir);
  const server = createServer((request, response) => handle(request, response, page, runsDir));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, port, close: () => closeServer(server) };
}

/** The runs under dir: each subdirectory holding a run.json, sorted by name. */
export function listRuns(dir: string): { name: string; path: string; sizeBytes: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: { name: string; path: string; sizeBytes: number }[] = [];
  for (const name of names) {
    if (out.length >= RUNS_LISTED_MAX) break;
    if (!RUN_NAME.test(name)) continue;
    try {
      const stat = statSync(join(dir, name, 'run.json'));
      if (stat.isFile()) out.push({ name, path: `${name}/run.json`, sizeBytes: stat.size });
    } catch {
      // Not a run directory.
    }
  }
  return out;
}

function handle(request: IncomingMessage, response: ServerResponse, page: string, runsDir: string): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'only GET');
  if (url.pathname === '/' || url.pathname === '/index.html') return send(response, 200, 'text/html; charset=utf-8', page);
  if (url.pathname === '/api/runs') return send(response, 200, 'application/json', JSON.stringify(listRuns(runsDir)));
  const match = /^\/runs\/([^/]+)\/run\.json$/.exec(url.pathname);
  if (match !== null) {
    const name = decodeURIComponent(match[1] as string);
    if (!RUN_NAME.test(name)) return send(response, 400, 'text/plain', 'not a run name');
    const file = join(runsDir, name, 'run.json');
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return send(response, 404, 'text/plain', `no run ${name}`);
    }
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': size, 'cache-control': 'no-store' });
    // Large chunks: a 100 MB run must not trickle through in 64 KB pieces.
    createReadStream(file, { highWaterMark: 4 * 1024 * 1024 }).pipe(response);
    return;
  }
  if (url.pathname === '/favicon.ico') return send(response, 204, 'text/plain', '');
  send(response, 404, 'text/plain', 'not found');
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(body);
}

function pageHtml(script: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'unsafe-inline\'; style-src \'unsafe-inline\'; connect-src \'self\'; img-src data:">',
    '<title>Loom viewer</title><link rel="icon" href="data:,">',
    `<style>${VIEW_CSS}</style>`,
    '</head><body><main><header id="chooser"><h1>Loom viewer</h1></header><div id="app"><p>Loading…</p></div></main>',
    `<script>${script}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.closeAllConnections();
    server.close(() => ok());
  });
}

// ---------------------------------------------------------------------------------------------

function parsePort(argv: readonly string[]): { port: number; runsDir: string } | string {
  let port = 8080;
  let runsDir = 'runs';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = argv[i + 1];
    if (a === '--port') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) return '--port needs a number from 0 to 65535';
      port = Number(value);
      i++;
    } else if (a === '--runs') {
      if (value === undefined) return '--runs needs a directory';
      runsDir = value;
      i++;
    } else {
      return `unknown argument ${a}`;
    }
  }
  return { port, runsDir };
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('server.ts')) {
  const parsed = parsePort(process.argv.slice(2));
  if (typeof parsed === 'string') {
    console.error(`viewer: ${parsed}\nusage: npm run viewer [-- --port N] [--runs DIR]`);
    process.exitCode = 2;
  } else {
    startViewer(parsed).then(
      (viewer) => console.log(`Loom viewer on ${viewer.url} (runs from ${resolve(parsed.runsDir)}; Ctrl-C stops it)`),
      (error: unknown) => {
        console.error(`viewer: cannot listen on 127.0.0.1:${parsed.port}: ${(error as Error).message}`);
        process.exitCode = 2;
      },
    );
  }
}
