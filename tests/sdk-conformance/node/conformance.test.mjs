// Drives the emulator with the official TypeScript SDK through spec section 11 and every
// environment, session, session resource and file method the SDK offers.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Anthropic, { toFile } from '@anthropic-ai/sdk';
import { startEmulator } from './emulator.mjs';

const BETA = 'managed-agents-2026-04-01';
const TOKEN = 'ghp_conformance_token_1';

let emulator;
let client;

before(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: emulator.apiKey, baseURL: emulator.baseURL, maxRetries: 2 });
});

after(async () => {
  await emulator?.stop();
});

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

test('the worked flows of spec section 11', async () => {
  const beta = client.beta;

  // 1. Environments.
  const pythonDev = await beta.environments.create({
    name: 'python-dev',
    config: { type: 'cloud', networking: { type: 'unrestricted' } },
  });
  assert.match(pythonDev.id, /^env_/);
  await assert.rejects(beta.environments.create({ name: 'python-dev' }), (error) => {
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal(error.status, 409);
    assert.equal(error.headers.get('x-should-retry'), 'false');
    assert.match(error.requestID, /^req_/);
    return true;
  });
  await beta.environments.create({
    name: 'locked-down',
    config: {
      type: 'cloud',
      networking: { type: 'package_managers_and_custom', allowed_hosts: ['api.example.com'] },
    },
  });
  const analysis = await beta.environments.create({
    name: 'data-analysis',
    config: {
      type: 'cloud',
      networking: { type: 'limited', allow_package_managers: true },
      packages: { pip: ['pandas', 'numpy', 'scikit-learn'], npm: ['express'] },
    },
  });
  assert.deepEqual(analysis.config.packages.npm, ['express']);

  // 2. Upload and agent.
  const csv = Buffer.from('city,temp\nOslo,3\nLima,19\n');
  const upload = await beta.files.upload({
    file: await toFile(csv, 'data.csv', { type: 'text/csv' }),
  });
  assert.equal(upload.filename, 'data.csv');
  assert.equal(upload.size_bytes, csv.length);
  assert.equal(upload.downloadable, false);
  assert.equal((await beta.files.retrieveMetadata(upload.id)).id, upload.id);
  const agent = await beta.agents.create({
    name: 'GitHub Agent',
    model: 'claude-opus-4-7',
    mcp_servers: [{ type: 'url', name: 'github', url: 'https://api.githubcopilot.com/mcp/' }],
    tools: [
      { type: 'agent_toolset_20260401', default_config: { enabled: true } },
      { type: 'mcp_toolset', mcp_server_name: 'github' },
    ],
  });
  const vault = await beta.vaults.create({ display_name: 'conformance' });

  // 3. Session with resources.
  const session = await beta.sessions.create({
    agent: agent.id,
    environment_id: pythonDev.id,
    resources: [
      { type: 'file', file_id: upload.id, mount_path: '/workspace/data.csv' },
      {
        type: 'github_repository',
        url: 'https://github.com/owner/repo',
        authorization_token: TOKEN,
        checkout: { type: 'branch', name: 'main' },
      },
    ],
    vault_ids: [vault.id],
  });
  assert.equal(session.status, 'idle');
  assert.ok(!JSON.stringify(session).includes(TOKEN));

  // 4. Resources and token rotation.
  const resources = await collect(beta.sessions.resources.list(session.id));
  assert.deepEqual(
    resources.map((r) => r.type),
    ['file', 'github_repository'],
  );
  const repository = resources[1];
  const rotated = await beta.sessions.resources.update(repository.id, {
    session_id: session.id,
    authorization_token: 'ghp_rotated',
  });
  assert.equal(rotated.id, repository.id);
  const again = await collect(beta.sessions.resources.list(session.id));
  assert.ok(!JSON.stringify(again).includes('ghp_'));

  // 5. Outputs.
  const report = Buffer.from('# Report\n\nWarmest: Lima.\n');
  const chart = Buffer.alloc(16384, 0).map((_, i) => i % 256);
  await emulator.writeOutput(session.id, 'report.md', report, 'text/markdown');
  await emulator.writeOutput(session.id, 'chart.png', chart, 'image/png');
  const outputs = await collect(beta.files.list({ scope_id: session.id, betas: [BETA] }));
  assert.deepEqual(outputs.map((f) => f.filename).sort(), ['chart.png', 'report.md']);
  for (const output of outputs) {
    assert.equal(output.downloadable, true);
    assert.equal(output.scope.id, session.id);
    const response = await beta.files.download(output.id);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual(bytes, output.filename === 'report.md' ? report : chart);
  }
  await assert.rejects(beta.files.list({ scope_id: session.id }), Anthropic.BadRequestError);
  await assert.rejects(beta.files.download(upload.id), Anthropic.PermissionDeniedError);

  // 6. Update, archive, refuse, list, delete.
  const updated = await beta.environments.update(pythonDev.id, { description: 'new sessions' });
  assert.equal(updated.description, 'new sessions');
  const archived = await beta.environments.archive(pythonDev.id);
  assert.ok(archived.archived_at);
  await assert.rejects(
    beta.sessions.create({ agent: agent.id, environment_id: pythonDev.id }),
    Anthropic.BadRequestError,
  );
  const active = (await collect(beta.environments.list())).map((e) => e.id);
  assert.ok(!active.includes(pythonDev.id));
  const all = (await collect(beta.environments.list({ include_archived: true }))).map((e) => e.id);
  assert.ok(all.includes(pythonDev.id));
  await beta.environments.delete(pythonDev.id);
  await assert.rejects(beta.environments.retrieve(pythonDev.id), Anthropic.NotFoundError);
});

test('every session, session resource and file method', async () => {
  const beta = client.beta;
  const environment = await beta.environments.create({ name: 'methods' });
  const agent = await beta.agents.create({ name: 'a', model: 'claude-opus-4-7' });
  const upload = await beta.files.upload({
    file: await toFile(Buffer.from('hello'), 'notes.txt', { type: 'text/plain' }),
  });
  const session = await beta.sessions.create({
    agent: { type: 'agent', id: agent.id, version: 1 },
    environment_id: environment.id,
    title: 'first',
    metadata: { team: 'qa' },
  });
  assert.equal((await beta.sessions.retrieve(session.id)).title, 'first');
  const updated = await beta.sessions.update(session.id, {
    title: 'second',
    metadata: { team: null },
  });
  assert.equal(updated.title, 'second');
  assert.deepEqual(updated.metadata, {});

  const added = await beta.sessions.resources.add(session.id, { type: 'file', file_id: upload.id });
  assert.equal(added.mount_path, `/mnt/session/uploads/${upload.id}`);
  const fetched = await beta.sessions.resources.retrieve(added.id, { session_id: session.id });
  assert.equal(fetched.file_id, upload.id);
  const removed = await beta.sessions.resources.delete(added.id, { session_id: session.id });
  assert.equal(removed.type, 'session_resource_deleted');

  const listed = await collect(beta.sessions.list({ agent_id: agent.id, statuses: ['idle'] }));
  assert.deepEqual(
    listed.map((s) => s.id),
    [session.id],
  );
  assert.ok((await beta.sessions.archive(session.id)).archived_at);
  assert.equal((await beta.sessions.delete(session.id)).type, 'session_deleted');

  for (let i = 0; i < 5; i += 1) {
    await beta.files.upload({ file: await toFile(Buffer.from('x'), `${i}.txt`) });
  }
  const ids = (await collect(beta.files.list({ limit: 2 }))).map((f) => f.id);
  assert.ok(ids.length >= 6);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal((await beta.files.delete(upload.id)).type, 'file_deleted');
});

test('retries against injected faults', async () => {
  const fresh = await startEmulator();
  try {
    const retrying = new Anthropic({ apiKey: fresh.apiKey, baseURL: fresh.baseURL, maxRetries: 2 });
    await fresh.setFaults({
      rules: [
        {
          method: 'GET',
          path: '/v1/environments',
          times: 2,
          fault: { type: 'status', status: 529, headers: { 'retry-after-ms': '10' } },
        },
        {
          method: 'POST',
          path: '/v1/environments',
          times: 1,
          fault: { type: 'drop', when: 'after_body' },
        },
        {
          path: '/v1/vaults',
          times: 1,
          fault: { type: 'status', status: 503, headers: { 'x-should-retry': 'false' } },
        },
      ],
    });
    assert.deepEqual(await collect(retrying.beta.environments.list()), []);
    assert.equal(
      (await retrying.beta.environments.create({ name: 'after-a-drop' })).name,
      'after-a-drop',
    );
    await assert.rejects(retrying.beta.vaults.list(), Anthropic.InternalServerError);
    const plan = await fresh.control('GET', '/_emulator/faults');
    assert.deepEqual(
      plan.rules.map((rule) => rule.hits),
      [2, 1, 1],
    );
  } finally {
    await fresh.stop();
  }
});

test('auth is required', async () => {
  const stranger = new Anthropic({ apiKey: 'sk-wrong', baseURL: emulator.baseURL, maxRetries: 0 });
  await assert.rejects(stranger.beta.environments.list(), Anthropic.AuthenticationError);
});
