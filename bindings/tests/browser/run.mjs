// Headless Chromium test of the package's web build: serves bindings/ from 127.0.0.1, opens
// tests/browser/page.html, which runs spec section 11 against the emulator across origins,
// and waits for the page to post its results. Run by `cargo xtask wasm test`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const api = process.env.MA_EMULATOR_URL;
const key = process.env.MA_EMULATOR_KEY;
const chromium = process.env.CHROMIUM ?? 'chromium';
const TIMEOUT_MS = 120_000;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

if (!api || !key) {
  console.error('run through `cargo xtask wasm test` (MA_EMULATOR_URL, MA_EMULATOR_KEY)');
  process.exit(2);
}

const body = async (request) => {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
};

let settle;
const finished = new Promise((resolve) => {
  settle = resolve;
});

// The page's origin: static files, plus two helpers (writing outputs through the emulator's
// control endpoint, and receiving the results).
const site = createServer(async (request, response) => {
  const url = new URL(request.url, 'http://127.0.0.1');
  if (request.method === 'POST' && url.pathname === '/result') {
    settle(JSON.parse(await body(request)));
    response.end('ok');
    return;
  }
  if (request.method === 'POST' && url.pathname === '/write-output') {
    const session = url.searchParams.get('session');
    const path = url.searchParams.get('path');
    const written = await fetch(`${api}/_emulator/sessions/${session}/outputs/${path}`, {
      method: 'PUT',
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      body: await body(request),
    });
    response.statusCode = written.status;
    response.end();
    return;
  }
  const file = normalize(join(root, url.pathname));
  if (!file.startsWith(root)) {
    response.statusCode = 403;
    response.end();
    return;
  }
  try {
    const content = readFileSync(file);
    response.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    response.end(content);
  } catch {
    response.statusCode = 404;
    response.end();
  }
});

// Another origin that answers without any CORS header: the browser must refuse its answers.
const noCors = createServer((request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end('{}');
});

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const sitePort = await listen(site);
const noCorsPort = await listen(noCors);

const profile = mkdtempSync(join(tmpdir(), 'ma-chromium-'));
const page =
  `http://127.0.0.1:${sitePort}/tests/browser/page.html?api=${encodeURIComponent(api)}` +
  `&key=${encodeURIComponent(key)}&nocors=${encodeURIComponent(`http://127.0.0.1:${noCorsPort}`)}`;
const browser = spawn(
  chromium,
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--remote-debugging-port=0',
    page,
  ],
  { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
);
let browserLog = '';
browser.stderr.on('data', (chunk) => {
  browserLog += chunk;
});

const timer = setTimeout(() => settle(null), TIMEOUT_MS);
const results = await finished;
clearTimeout(timer);

// Stop the browser (its whole process group, which this script started) and the servers.
try {
  process.kill(-browser.pid, 'SIGKILL');
} catch {
  // Already gone.
}
site.closeAllConnections();
noCors.closeAllConnections();
site.close();
noCors.close();
rmSync(profile, { recursive: true, force: true });

if (results === null) {
  console.error(`the page posted no results within ${TIMEOUT_MS / 1000} s`);
  console.error(browserLog.split('\n').slice(-30).join('\n'));
  process.exit(1);
}
let failed = 0;
for (const result of results) {
  console.log(
    `${result.ok ? 'ok  ' : 'FAIL'} ${result.name}${result.ok ? '' : `\n     ${result.error}`}`,
  );
  if (!result.ok) failed += 1;
}
console.log(`chromium: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
