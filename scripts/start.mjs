// `npm start`: the dashboard on the demo workspace (`prestart` builds first). The first run fills
// ./retain.duckdb (or RETAIN_DB) with the demo operator; later runs reuse it. The server listens on
// 127.0.0.1:8080 (PORT to change) without tokens, for one local user; Ctrl-C stops it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { platform } from 'node:os';

const bin = new URL('../dist/cli/main.js', import.meta.url).pathname;
const db = process.env.RETAIN_DB ?? 'retain.duckdb';
const port = process.env.PORT ?? '8080';

const retain = (...args) => {
  const r = spawnSync(process.execPath, [bin, '--db', db, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 2);
  return String(r.stdout);
};

if (!existsSync(db)) {
  // the demo operator, and what the dashboard shows beyond the raw data: a year of month-end lifecycle
  // stages, and churn scores (30/90/180 days) from a tree model trained on the demo
  process.stdout.write(retain('demo'));
  const info = JSON.parse(retain('info', '--json'));
  const end = info.tables.find((t) => t.table === 'transactions').to.slice(0, 7);
  const [y, m] = end.split('-').map(Number);
  const from = `${m === 12 ? y : y - 1}-${String((m % 12) + 1).padStart(2, '0')}`;
  process.stdout.write('recording month-end lifecycle stages...\n');
  retain('lifecycle', 'history', '--from', from, '--to', end, '--json');
  const model = `${db.replace(/\.duckdb$/, '')}.churn-model.json`;
  process.stdout.write('training and scoring the churn models...\n');
  retain('churn', 'train', '--model', 'gbdt', '--save', model, '--json');
  retain('churn', 'score', '--model', model, '--json');
  // CLV: BG/NBD (the demo's purchase rates are too alike to identify r and alpha without a small penalty:
  // 0.01 does not converge on the 20,000-customer demo, 0.02 and up do) and Gamma-Gamma, and every
  // customer's CLV over a year kept in the workspace for the CLV page and the overview
  process.stdout.write('fitting the CLV models and predicting CLV...\n');
  retain('clv', 'fit', '--model', 'bgnbd', '--penalty', '0.05', '--json');
  retain('clv', 'fit', '--model', 'gg', '--json');
  retain('clv', 'predict', '--horizon', '52', '--save', '--json');
}

const url = `http://127.0.0.1:${port}/`;
const server = spawn(process.execPath, [bin, '--db', db, 'serve', '--no-auth', '--port', port], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let opened = false;
server.stderr.on('data', (chunk) => {
  const text = String(chunk);
  // the server's own start line; its JSON request log stays out of the terminal
  if (text.startsWith('retain')) process.stderr.write(text);
  if (!opened && text.includes('retain serve: http')) {
    opened = true;
    process.stdout.write(`\nRetain dashboard: ${url}  (Ctrl-C to stop)\n`);
    openBrowser(url);
  }
});
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill('SIGTERM'));

/** Open the page in the desktop's browser when there is one; never fail for lack of it. */
function openBrowser(address) {
  if (process.env.CI || process.env.RETAIN_NO_BROWSER) return;
  const os = platform();
  const [cmd, args] =
    os === 'darwin'
      ? ['open', [address]]
      : os === 'win32'
        ? ['cmd', ['/c', 'start', '', address]]
        : process.env.DISPLAY || process.env.WAYLAND_DISPLAY
          ? ['xdg-open', [address]]
          : [null, []];
  if (!cmd) return;
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}
