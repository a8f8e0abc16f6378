// Runs in headless Chromium, served from 127.0.0.1 by run.mjs: spec section 11 through the
// package's web build against the emulator, across origins (CORS), then posts the results.
import ManagedAgents, { APIConnectionError, ConflictError } from '/pkg/web/index.js';

const query = new URLSearchParams(location.search);
const baseURL = query.get('api');
const apiKey = query.get('key');
const noCors = query.get('nocors');
const results = [];
const unique = (prefix) => `${prefix}-${Math.random().toString(16).slice(2, 10)}`;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function step(name, body) {
  try {
    await body();
    results.push({ name, ok: true });
  } catch (error) {
    results.push({ name, ok: false, error: `${error && error.name}: ${error && error.message}` });
  }
}

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const sameBytes = (left, right) =>
  left.length === right.length && left.every((byte, index) => byte === right[index]);

async function writeOutput(sessionID, path, bytes) {
  const response = await fetch(`/write-output?session=${sessionID}&path=${path}`, {
    method: 'POST',
    body: bytes,
  });
  check(response.ok, `writing ${path} failed: ${response.status}`);
}

const client = new ManagedAgents({ apiKey, baseURL, dangerouslyAllowBrowser: true });
const state = {};

await step(
  '1. environments, a 409 on a duplicate name, restricted networking, packages',
  async () => {
    state.name = unique('python-dev');
    state.env = await client.environments.create({
      name: state.name,
      config: { type: 'cloud', networking: { type: 'unrestricted' } },
    });
    let conflict;
    try {
      await client.environments.create({ name: state.name });
    } catch (error) {
      conflict = error;
    }
    check(
      conflict instanceof ConflictError && conflict.status === 409,
      `expected a 409, got ${conflict}`,
    );
    check(
      /^req_/.test(conflict.requestID ?? ''),
      'the request-id header is readable across origins',
    );
    await client.environments.create({
      name: unique('locked-down'),
      config: {
        type: 'cloud',
        networking: { type: 'package_managers_and_custom', allowed_hosts: ['api.example.com'] },
      },
    });
    const analysis = await client.environments.create({
      name: unique('data-analysis'),
      config: {
        type: 'cloud',
        networking: { type: 'limited', allow_package_managers: true },
        packages: { pip: ['pandas', 'numpy', 'scikit-learn'], npm: ['express'] },
      },
    });
    check(analysis.config.packages.pip.length === 3, 'packages kept');
  },
);

await step('2. upload a File and create the GitHub agent', async () => {
  const csv = new File(['city,temperature\nOslo,4\n'], 'data.csv', { type: 'text/csv' });
  state.file = await client.files.upload({ file: csv });
  check(
    state.file.filename === 'data.csv' && state.file.size_bytes === csv.size,
    'upload metadata',
  );
  state.agent = await client.agents.create({
    name: 'GitHub Agent',
    model: 'claude-opus-4-7',
    mcp_servers: [{ type: 'url', name: 'github', url: 'https://api.githubcopilot.com/mcp/' }],
    tools: [
      { type: 'agent_toolset_20260401', default_config: { enabled: true } },
      { type: 'mcp_toolset', mcp_server_name: 'github' },
    ],
  });
  state.vault = await client.vaults.create({ display_name: unique('vault') });
});

await step('3. a session with the file, a repository and a vault', async () => {
  state.session = await client.sessions.create({
    agent: state.agent.id,
    environment_id: state.env.id,
    vault_ids: [state.vault.id],
    resources: [
      { type: 'file', file_id: state.file.id, mount_path: '/workspace/data.csv' },
      {
        type: 'github_repository',
        url: 'https://github.com/owner/repo',
        authorization_token: 'ghp_browsertoken0001',
        checkout: { type: 'branch', name: 'main' },
      },
    ],
  });
  check(state.session.status === 'idle', `status ${state.session.status}`);
});

await step('4. resources without the token, rotation, resources again', async () => {
  const resources = await collect(client.sessions.resources.list(state.session.id));
  check(resources.length === 2, `${resources.length} resources`);
  check(!JSON.stringify(resources).includes('ghp_'), 'no token in the list');
  const repository = resources.find((resource) => resource.type === 'github_repository');
  const rotated = await client.sessions.resources.update(repository.id, {
    session_id: state.session.id,
    authorization_token: 'ghp_rotated0002',
  });
  check(!JSON.stringify(rotated).includes('ghp_'), 'no token after rotation');
  check(
    (await collect(client.sessions.resources.list(state.session.id))).length === 2,
    'still two',
  );
});

await step('5. outputs listed by session and downloaded byte for byte', async () => {
  const report = new TextEncoder().encode('# Report\n\nGrüße\n');
  const chart = new Uint8Array(8192).map((_, index) => (index * 7 + 3) % 256);
  await writeOutput(state.session.id, 'report.md', report);
  await writeOutput(state.session.id, 'chart.png', chart);
  const outputs = await collect(client.files.list({ scope_id: state.session.id }));
  check(outputs.length === 2, `${outputs.length} outputs`);
  for (const output of outputs) {
    const bytes = await client.files.download(output.id);
    const expected = output.filename === 'chart.png' ? chart : report;
    check(sameBytes(bytes, expected), `${output.filename} differs`);
  }
});

await step('6. update, archive, no session on it, lists, delete', async () => {
  await client.environments.update(state.env.id, { description: 'updated' });
  const archived = await client.environments.archive(state.env.id);
  check(archived.archived_at, 'archived');
  let refused;
  try {
    await client.sessions.create({ agent: state.agent.id, environment_id: state.env.id });
  } catch (error) {
    refused = error;
  }
  check(refused && refused.status === 400, `expected a 400, got ${refused}`);
  const active = await collect(client.environments.list());
  const all = await collect(client.environments.list({ include_archived: true }));
  check(!active.some((env) => env.id === state.env.id), 'left out by default');
  check(
    all.some((env) => env.id === state.env.id),
    'listed with include_archived',
  );
  await client.environments.delete(state.env.id);
});

await step('a server without CORS gives an error that says so', async () => {
  const blocked = new ManagedAgents({
    apiKey,
    baseURL: noCors,
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
  });
  let failure;
  try {
    await blocked.vaults.retrieve('vlt_1');
  } catch (error) {
    failure = error;
  }
  check(failure instanceof APIConnectionError, `expected a connection error, got ${failure}`);
  check(/CORS/.test(failure.message), `the message names CORS: ${failure.message}`);
});

await step('without dangerouslyAllowBrowser the client refuses to start', async () => {
  let refused;
  try {
    new ManagedAgents({ apiKey, baseURL });
  } catch (error) {
    refused = error;
  }
  check(
    refused && /dangerouslyAllowBrowser/.test(refused.message),
    'refused with the option named',
  );
});

await step('a web worker runs the client too', async () => {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const answer = await new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ baseURL, apiKey, name: unique('worker') });
  });
  worker.terminate();
  check(answer.ok, `the worker failed: ${answer.error}`);
  check(answer.listed, 'the worker saw its vault in the list');
});

document.getElementById('log').textContent = JSON.stringify(results, null, 2);
await fetch('/result', { method: 'POST', body: JSON.stringify(results) });
