// The viewer page's script in the browser: lets the user open any run.json (file picker or drag
// and drop) or pick one of the runs the server lists, validates it and draws the shared views.
// A bad file, a failed fetch or a drawing error becomes a visible message, never a blank page.

import { parseArtifact } from '../artifact/artifact';
import { el } from '../draw/context';
import { mountViews, showError } from '../draw/views';

interface RunEntry {
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
}

function start(): void {
  const header = document.getElementById('chooser');
  const app = document.getElementById('app');
  if (header === null || app === null) return;
  const input = el('input', { type: 'file', accept: '.json,application/json', id: 'file-input' });
  const drop = el('div', { class: 'drop-zone', id: 'drop-zone' }, 'Drop a run.json here, or choose one: ');
  drop.append(input);
  const select = el('select', { id: 'run-select', 'aria-label': 'runs on this machine' });
  const open = el('button', { type: 'button', id: 'run-open' }, 'Open');
  const listed = el('p', {}, 'Runs under runs/: ');
  listed.append(select, open);
  header.append(drop, listed);

  const show = (text: string, name: string): void => {
    const loaded = parseArtifact(text, name);
    if (!loaded.ok) {
      fail(loaded.error);
      return;
    }
    try {
      mountViews(app, loaded.run);
      document.body.setAttribute('data-state', 'ready');
    } catch (error) {
      fail(`Drawing ${name} failed: ${(error as Error).message}`);
    }
  };
  const fail = (message: string): void => {
    showError(app, message);
    document.body.setAttribute('data-state', 'error');
  };
  const readFile = (file: File): void => {
    document.body.setAttribute('data-state', 'loading');
    file.text().then((text) => show(text, file.name), (error: unknown) => fail(`Cannot read ${file.name}: ${(error as Error).message}`));
  };
  const fetchRun = (path: string): void => {
    document.body.setAttribute('data-state', 'loading');
    app.replaceChildren(el('p', {}, `Loading ${path}…`));
    fetch(`runs/${path.split('/').map(encodeURIComponent).join('/')}`)
      .then(async (response) => (response.ok ? show(await response.text(), path) : fail(`The server could not give ${path}: HTTP ${response.status} ${await response.text()}`)))
      .catch((error: unknown) => fail(`Cannot fetch ${path}: ${(error as Error).message}`));
  };

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file !== undefined) readFile(file);
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) readFile(file);
  });
  open.addEventListener('click', () => {
    if (select.value !== '') fetchRun(select.value);
  });

  fetch('api/runs')
    .then((response) => (response.ok ? (response.json() as Promise<RunEntry[]>) : Promise.reject(new Error(`HTTP ${response.status}`))))
    .then((runs) => {
      select.replaceChildren(...runs.map((r) => el('option', { value: r.path }, `${r.name} (${(r.sizeBytes / 1e6).toFixed(1)} MB)`)));
      if (runs.length === 0) select.append(el('option', { value: '' }, '(no runs found)'));
      const wanted = new URLSearchParams(location.search).get('run');
      if (wanted !== null) fetchRun(wanted);
      else app.replaceChildren(el('p', { class: 'hint' }, 'Open a run to see it.'));
    })
    .catch((error: unknown) => fail(`Cannot list the runs: ${(error as Error).message}`));
}

start();
