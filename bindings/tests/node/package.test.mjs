// The npm package's Node build (bindings/pkg/node) against the emulator: spec section 11
// through the JS API, plain wire-shaped values, error classes, lazy async iteration, uploads
// from Blob / File / Uint8Array, byte-exact downloads, and the browser opt-in header.
// Run by `cargo xtask wasm test`, which builds the package and starts the emulator.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';

import ManagedAgents, {
  APIConnectionError,
  APIConnectionTimeoutError,
  ConflictError,
  ManagedAgentsError,
  NotFoundError,
  ValidationError,
} from '../../pkg/node/index.mjs';

const baseURL = process.env.MA_EMULATOR_URL;
const apiKey = process.env.MA_EMULATOR_KEY;
assert.ok(
  baseURL && apiKey,
  'run through `cargo xtask wasm test` (MA_EMULATOR_URL, MA_EMULATOR_KEY)',
);

const client = new ManagedAgents({ apiKey, baseURL });
const unique = (prefix) => `${prefix}-${Math.random().toString(16).slice(2, 10)}`;
const collect = async (iterable) => {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
};

async function writeOutput(sessionID, path, bytes) {
  const response = await fetch(`${baseURL}/_emulator/sessions/${sessionID}/outputs/${path}`, {
    method: 'PUT',
    headers: { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' },
    body: bytes,
  });
  assert.ok(response.ok, `writing ${path}: ${response.status}`);
}

test('spec section 11 through the JS API', async () => {
  const name = unique('python-dev');
  const env = await client.environments.create({
    name,
    config: { type: 'cloud', networking: { type: 'unrestricted' } },
  });
  assert.equal(Object.getPrototypeOf(env), Object.prototype, 'a plain object');
  assert.deepEqual(env.metadata, {});
  assert.equal(env.config.type, 'cloud');
  await assert.rejects(client.environments.create({ name }), (error) => {
    assert.ok(error instanceof ConflictError);
    assert.equal(error.status, 409);
    assert.match(error.requestID, /^req_/);
    assert.equal(error.error.type, 'error');
    return true;
  });
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
  assert.deepEqual(analysis.config.packages.npm, ['express']);

  const csv = new File(['city,temperature\nOslo,4\n'], 'data.csv', { type: 'text/csv' });
  const file = await client.files.upload({ file: csv });
  assert.equal(file.filename, 'data.csv');
  assert.equal(file.mime_type, 'text/csv');
  assert.equal(typeof file.size_bytes, 'number');
  const agent = await client.agents.create({
    name: 'GitHub Agent',
    model: 'claude-opus-4-7',
    mcp_servers: [{ type: 'url', name: 'github', url: 'https://api.githubcopilot.com/mcp/' }],
    tools: [
      { type: 'agent_toolset_20260401', default_config: { enabled: true } },
      { type: 'mcp_toolset', mcp_server_name: 'github' },
    ],
  });
  const vault = await client.vaults.create({ display_name: unique('vault') });

  const token = 'ghp_nodepackagetoken0001';
  const session = await client.sessions.create({
    agent: agent.id,
    environment_id: env.id,
    vault_ids: [vault.id],
    resources: [
      { type: 'file', file_id: file.id, mount_path: '/workspace/data.csv' },
      {
        type: 'github_repository',
        url: 'https://github.com/owner/repo',
        authorization_token: token,
        checkout: { type: 'branch', name: 'main' },
      },
    ],
  });
  assert.deepEqual(session.vault_ids, [vault.id]);

  const resources = await collect(client.sessions.resources.list(session.id));
  assert.equal(resources.length, 2);
  assert.ok(!JSON.stringify(resources).includes('ghp_'));
  const repository = resources.find((resource) => resource.type === 'github_repository');
  const rotated = await client.sessions.resources.update(repository.id, {
    session_id: session.id,
    authorization_token: 'ghp_rotated0002',
  });
  assert.ok(!JSON.stringify(rotated).includes('ghp_'));
  assert.equal((await collect(client.sessions.resources.list(session.id))).length, 2);

  const report = new TextEncoder().encode('# Report\n');
  const chart = new Uint8Array(4096).map((_, index) => index % 256);
  await writeOutput(session.id, 'report.md', report);
  await writeOutput(session.id, 'chart.png', chart);
  const outputs = await collect(client.files.list({ scope_id: session.id }));
  assert.deepEqual(outputs.map((output) => output.filename).sort(), ['chart.png', 'report.md']);
  for (const output of outputs) {
    const bytes = await client.files.download(output.id);
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual(bytes, output.filename === 'chart.png' ? chart : report);
  }

  await client.environments.update(env.id, { description: 'updated' });
  await client.environments.archive(env.id);
  await assert.rejects(
    client.sessions.create({ agent: agent.id, environment_id: env.id }),
    (error) => error.status === 400,
  );
  const active = await collect(client.environments.list({ limit: 2 }));
  const all = await collect(client.environments.list({ include_archived: true, limit: 2 }));
  assert.ok(!active.some((listed) => listed.id === env.id));
  assert.ok(all.some((listed) => listed.id === env.id));
  assert.equal((await client.environments.delete(env.id)).id, env.id);
  await assert.rejects(client.environments.retrieve(env.id), NotFoundError);
});

test('every resource group answers through the package', async () => {
  const store = await client.memoryStores.create({ name: 'User Preferences' });
  assert.equal((await client.memoryStores.retrieve(store.id)).name, 'User Preferences');
  assert.ok((await collect(client.memoryStores.list())).some((listed) => listed.id === store.id));
  assert.equal((await client.memoryStores.delete(store.id)).type, 'memory_store_deleted');

  const agent = await client.agents.create({ name: unique('agent'), model: 'claude-opus-4-7' });
  const updated = await client.agents.update(agent.id, { version: agent.version, system: 'Hi' });
  assert.equal(updated.version, 2);
  assert.ok((await client.agents.archive(agent.id)).archived_at);

  const vault = await client.vaults.update((await client.vaults.create({ display_name: 'v' })).id, {
    display_name: 'w',
  });
  assert.equal((await client.vaults.retrieve(vault.id)).display_name, 'w');
  assert.equal((await client.vaults.delete(vault.id)).id, vault.id);

  const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
  const file = await client.files.upload({ file: bytes, filename: 'raw.bin' });
  assert.equal(file.size_bytes, 6);
  assert.equal((await client.files.retrieveMetadata(file.id)).filename, 'raw.bin');
  const blob = await client.files.upload({
    file: new Blob(['x']),
    filename: 'Grüner Baum – 報告.txt',
  });
  assert.equal(blob.filename, 'Grüner Baum – 報告.txt');

  const env = await client.environments.create({ name: unique('env') });
  const agent2 = await client.agents.create({ name: 'a', model: 'claude-opus-4-7' });
  const session = await client.sessions.create({ agent: agent2.id, environment_id: env.id });
  assert.equal((await client.sessions.update(session.id, { title: 't' })).title, 't');
  const added = await client.sessions.resources.add(session.id, { type: 'file', file_id: file.id });
  const got = await client.sessions.resources.retrieve(added.id, { session_id: session.id });
  assert.equal(got.file_id, added.file_id);
  await client.sessions.resources.delete(added.id, { session_id: session.id });
  assert.ok(
    (await collect(client.sessions.list({ limit: 1 }))).some((listed) => listed.id === session.id),
  );
  assert.ok((await client.sessions.archive(session.id)).archived_at);
  assert.equal((await client.sessions.delete(session.id)).type, 'session_deleted');
  assert.equal((await client.files.delete(file.id)).type, 'file_deleted');
});

test('lists fetch pages lazily', async () => {
  const prefix = unique('lazy');
  for (let index = 0; index < 3; index += 1) {
    await client.vaults.create({ display_name: `${prefix}-${index}` });
  }
  const seen = [];
  const counting = new ManagedAgents({
    apiKey,
    baseURL,
    defaultHeaders: { 'x-test': 'lazy' },
  });
  const originalFetch = globalThis.fetch;
  globalThis.fetch = (url, init) => {
    seen.push(String(url));
    return originalFetch(url, init);
  };
  try {
    const iterator = counting.vaults.list({ limit: 1 })[Symbol.asyncIterator]();
    assert.equal(seen.length, 0, 'nothing is fetched before the first read');
    await iterator.next();
    assert.equal(seen.length, 1);
    await iterator.next();
    assert.equal(seen.length, 2, 'the second page is fetched for the second item');
    assert.match(seen[1], /[?&]page=/);
    await iterator.return();
  } finally {
    globalThis.fetch = originalFetch;
  }
});

test('bad input is refused before sending, with a clear error', async () => {
  await assert.rejects(client.environments.create({ name: '' }), ValidationError);
  await assert.rejects(client.environments.retrieve('sesn_wrong_prefix'), /environment_id/);
  await assert.rejects(client.files.upload({ file: 'not a blob' }), ValidationError);
  await assert.rejects(collect(client.environments.list({ scope_id: 'sesn_1' })), /scope_id/);
  assert.throws(() => new ManagedAgents({ apiKey: '', authToken: '' }), ManagedAgentsError);
});

/** Asserts that `promise` rejects with the package's `ValidationError` for argument `name`. */
async function rejectsArgument(promise, name, detail = /must be a string/) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof ValidationError, `a ValidationError, not ${error}`);
    assert.equal(error.kind, 'invalid_argument');
    assert.ok(error.message.includes(`\`${name}\``), error.message);
    assert.match(error.message, detail);
    return true;
  });
}

test('arguments that are not strings are refused before they reach the wasm module', async () => {
  const bytes = new Uint8Array([1]);
  for (const bad of [42, {}, true, ['env_1'], 5n]) {
    await rejectsArgument(client.environments.retrieve(bad), 'environment_id');
    await rejectsArgument(client.environments.update(bad, { name: 'n' }), 'environment_id');
    await rejectsArgument(client.environments.archive(bad), 'environment_id');
    await rejectsArgument(client.environments.delete(bad), 'environment_id');
    await rejectsArgument(client.agents.retrieve(bad), 'agent_id');
    await rejectsArgument(client.vaults.retrieve(bad), 'vault_id');
    await rejectsArgument(client.memoryStores.retrieve(bad), 'memory_store_id');
    await rejectsArgument(client.sessions.retrieve(bad), 'session_id');
    await rejectsArgument(collect(client.sessions.resources.list(bad)), 'session_id');
    await rejectsArgument(
      client.sessions.resources.add(bad, { type: 'file', file_id: 'file_1' }),
      'session_id',
    );
    await rejectsArgument(
      client.sessions.resources.retrieve(bad, { session_id: 'sesn_1' }),
      'resource_id',
    );
    await rejectsArgument(
      client.sessions.resources.retrieve('sesrsc_1', { session_id: bad }),
      'session_id',
    );
    await rejectsArgument(
      client.sessions.resources.update(bad, { session_id: 'sesn_1' }),
      'resource_id',
    );
    await rejectsArgument(
      client.sessions.resources.delete('sesrsc_1', { session_id: bad }),
      'session_id',
    );
    await rejectsArgument(client.files.upload({ file: bytes, filename: bad }), 'filename');
    await rejectsArgument(
      client.files.upload({ file: bytes, filename: 'a', mimeType: bad }),
      'mimeType',
    );
    await rejectsArgument(client.files.download(bad), 'file_id');
    await rejectsArgument(client.files.retrieveMetadata(bad), 'file_id');
    await rejectsArgument(client.files.delete(bad), 'file_id');
  }
  // Absent IDs are refused by the module itself, as before.
  await rejectsArgument(client.environments.retrieve(), 'environment_id', /needs an ID/);
  await rejectsArgument(client.files.download(), 'file_id', /needs an ID/);
  await rejectsArgument(client.files.download(null), 'file_id', /needs an ID/);
  // Values JSON cannot encode are argument errors too, not a TypeError from JSON.stringify.
  await rejectsArgument(
    client.environments.create({ name: 'n', metadata: { a: 1n } }),
    'params',
    /JSON/,
  );
  await rejectsArgument(collect(client.vaults.list({ limit: 1n })), 'params', /JSON/);
  await rejectsArgument(client.vaults.retrieve('vlt_1', { headers: { a: 1n } }), 'options', /JSON/);
  assert.throws(() => new ManagedAgents({ apiKey, baseURL, timeout: 1n }), ValidationError);
  // The module still works after all of that.
  const vault = await client.vaults.create({ display_name: unique('after') });
  assert.equal((await client.vaults.retrieve(vault.id)).id, vault.id);
});

test('fields a call does not take are refused at any depth, before anything is sent', async () => {
  const name = unique('strict');
  const file = new Uint8Array([1]);
  const cloud = (networking) => ({ type: 'cloud', networking });
  // [the call, the path of the field it must name]
  const cases = [
    [() => client.environments.create({ name, descripton: 'x' }), 'descripton'],
    [() => client.environments.create({ name, descripton: null }), 'descripton'],
    [
      () => client.environments.create({ name, config: { type: 'cloud', networkin: {} } }),
      'config.networkin',
    ],
    [
      () =>
        client.environments.create({
          name,
          config: cloud({ type: 'limited', allowed_hostz: ['a.example'] }),
        }),
      'config.networking.allowed_hostz',
    ],
    [() => client.environments.update('env_1', { nmae: 'x' }), 'nmae'],
    [() => client.environments.update('env_1', { descriptoin: null }), 'descriptoin'],
    [
      () => client.environments.update('env_1', { config: { type: 'cloud', packges: {} } }),
      'config.packges',
    ],
    [
      () =>
        client.agents.create({
          name,
          model: 'm',
          tools: [{ type: 'agent_toolset_20260401', enabeld: true }],
        }),
      'tools[0].enabeld',
    ],
    [() => client.agents.create({ name, model: { id: 'm', sped: 'fast' } }), 'model.sped'],
    [() => client.agents.update('agent_1', { version: 1, sytem: 'x' }), 'sytem'],
    [
      () =>
        client.sessions.create({
          agent: { type: 'agent', id: 'agent_1', verison: 2 },
          environment_id: 'env_1',
        }),
      'agent.verison',
    ],
    [
      () =>
        client.sessions.create({
          agent: 'agent_1',
          environment_id: 'env_1',
          resources: [
            { type: 'file', file_id: 'file_1' },
            { type: 'file', file_id: 'file_2', mount_pth: '/x' },
          ],
        }),
      'resources[1].mount_pth',
    ],
    [() => client.sessions.update('sesn_1', { vault_ids: [] }), 'vault_ids'],
    [
      () => client.sessions.resources.add('sesn_1', { type: 'file', file_id: 'file_1', extra: 1 }),
      'extra',
    ],
    [
      () =>
        client.sessions.resources.update('sesrsc_1', {
          session_id: 'sesn_1',
          authorization_token: 't',
          tokn: 't',
        }),
      'tokn',
    ],
    [() => client.sessions.resources.retrieve('sesrsc_1', { session_id: 'sesn_1', x: 1 }), 'x'],
    [() => client.sessions.resources.delete('sesrsc_1', { session_id: 'sesn_1', x: 1 }), 'x'],
    [() => client.vaults.create({ display_name: 'v', displayName: 'v' }), 'displayName'],
    [() => client.memoryStores.update('memstore_1', { nam: 'x' }), 'nam'],
    [() => client.files.upload({ file, fileName: 'a.txt' }), 'fileName'],
  ];
  const sent = [];
  const originalFetch = globalThis.fetch;
  globalThis.fetch = (url, init) => {
    sent.push(`${init?.method ?? 'GET'} ${url}`);
    return originalFetch(url, init);
  };
  try {
    for (const [call, path] of cases) {
      const escaped = path.replace(/[[\].]/g, '\\$&');
      await rejectsArgument(call(), 'params', new RegExp(`\`params\`: ${escaped}: unknown field$`));
    }
    assert.deepEqual(sent, [], 'nothing was sent');
  } finally {
    globalThis.fetch = originalFetch;
  }

  // Known fields set to null or to empty values still pass.
  const env = await client.environments.create({
    name: unique('nulls'),
    description: null,
    metadata: {},
  });
  const updated = await client.environments.update(env.id, {
    description: null,
    metadata: { a: 'b' },
  });
  assert.equal(updated.description, null);
  const cleared = await client.environments.update(env.id, { metadata: { a: null } });
  assert.deepEqual(cleared.metadata, {});
  const agent = await client.agents.create({
    name: unique('agent'),
    model: 'claude-opus-4-7',
    tools: [],
  });
  const session = await client.sessions.create({
    agent: { type: 'agent', id: agent.id, version: null },
    environment_id: env.id,
    resources: [],
    vault_ids: [],
    title: null,
  });
  assert.equal(
    (await client.sessions.update(session.id, { title: null, metadata: {} })).title,
    null,
  );
});

test('connection failures and timeouts are typed errors', async () => {
  const server = createServer(() => {});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const slow = new ManagedAgents({
    apiKey: 'k',
    baseURL: `http://127.0.0.1:${port}`,
    timeout: 200,
    maxRetries: 0,
  });
  await assert.rejects(
    slow.vaults.list()[Symbol.asyncIterator]().next(),
    APIConnectionTimeoutError,
  );
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  const closed = new ManagedAgents({
    apiKey: 'k',
    baseURL: `http://127.0.0.1:${port}`,
    maxRetries: 0,
  });
  await assert.rejects(closed.vaults.retrieve('vlt_1'), APIConnectionError);
});

test('a body that stalls after the head times out, for answers and for downloads', async () => {
  const server = createServer((request, response) => {
    // The head and a few bytes, then nothing.
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': '1000',
    });
    response.write(request.url.includes('/content') ? 'abcdefghij' : '{"id":"vlt_');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stalled = new ManagedAgents({
    apiKey: 'k',
    baseURL: `http://127.0.0.1:${server.address().port}`,
  });
  const options = { timeout: 300, maxRetries: 0 };
  try {
    await assert.rejects(stalled.vaults.retrieve('vlt_1', options), (error) => {
      assert.ok(error instanceof APIConnectionTimeoutError, String(error));
      assert.match(error.message, /stalled for 300 ms/);
      return true;
    });
    await assert.rejects(stalled.files.download('file_1', options), APIConnectionTimeoutError);
    await assert.rejects(collect(stalled.vaults.list({}, options)), APIConnectionTimeoutError);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('params and options of the wrong shape are refused, never read by position', async () => {
  const refused = (call, pattern) =>
    assert.rejects(call, (error) => {
      assert.ok(error instanceof ValidationError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  const name = unique('by-position');
  await refused(client.environments.create([name]), /`params`: must be an object, not an array/);
  await refused(client.vaults.create('v'), /`params`: must be an object, not a string/);
  await refused(
    client.vaults.create({ display_name: 'v' }, { timout: 5 }),
    /`timout` is not an option/,
  );
  await refused(
    client.vaults.create({ display_name: 'v' }, { signal: new AbortController().signal }),
    /`signal` is not an option/,
  );
  await refused(collect(client.vaults.list({}, [1])), /`options`: must be an object, not an array/);
  assert.ok(!(await collect(client.environments.list())).some((env) => env.name === name));
  assert.throws(
    () => new ManagedAgents({ apiKey, baseUrl: baseURL }),
    /`baseUrl` is not an option/,
  );
  for (const timeout of [NaN, Infinity, 0, -1, '5']) {
    assert.throws(
      () => new ManagedAgents({ apiKey, baseURL, timeout }),
      /`options.timeout`: must be a number/,
    );
    await refused(
      client.vaults.retrieve('vlt_1', { timeout }),
      /`options.timeout`: must be a number/,
    );
  }
  assert.throws(() => new ManagedAgents([apiKey]), /must be an object, not an array/);

  // A base URL that is no URL fails at once, without retrying as if the network had failed.
  const misconfigured = new ManagedAgents({ apiKey: 'k', baseURL: 'not a url', maxRetries: 5 });
  await assert.rejects(misconfigured.vaults.retrieve('vlt_1'), (error) => {
    assert.ok(!(error instanceof APIConnectionError), String(error));
    assert.match(error.message, /`not a url` is not an http:\/\/ or https:\/\/ URL/);
    return true;
  });
  // Credentials in the base URL are refused at once, and never repeated.
  const withPassword = new ManagedAgents({
    apiKey: 'k',
    baseURL: 'http://user:s3cret@127.0.0.1:1',
    maxRetries: 5,
  });
  await assert.rejects(withPassword.vaults.retrieve('vlt_1'), (error) => {
    assert.ok(!(error instanceof APIConnectionError), String(error));
    assert.match(error.message, /carries credentials/);
    assert.doesNotMatch(error.message, /s3cret/);
    return true;
  });
});

test('an API error says the server message once', async () => {
  await assert.rejects(client.environments.retrieve('env_missing'), (error) => {
    assert.ok(error instanceof NotFoundError);
    const message = error.error.error.message;
    assert.equal(error.message.split(message).length, 2, error.message);
    return true;
  });
});

test('the browser opt-in header is sent only when asked for', async () => {
  const received = [];
  const server = createServer((request, response) => {
    received.push(request.headers);
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        id: 'vlt_1',
        type: 'vault',
        display_name: 'v',
        metadata: {},
        archived_at: null,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      }),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  try {
    await new ManagedAgents({ apiKey: 'k', baseURL: url }).vaults.retrieve('vlt_1');
    await new ManagedAgents({
      apiKey: 'k',
      baseURL: url,
      dangerouslyAllowBrowser: true,
    }).vaults.retrieve('vlt_1');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(received[0]['anthropic-dangerous-direct-browser-access'], undefined);
  assert.equal(received[1]['anthropic-dangerous-direct-browser-access'], 'true');
  assert.equal(received[1]['x-api-key'], 'k');
  assert.equal(received[1]['anthropic-beta'], 'managed-agents-2026-04-01');

  globalThis.document = {};
  try {
    assert.throws(() => new ManagedAgents({ apiKey: 'k' }), /dangerouslyAllowBrowser/);
    assert.ok(new ManagedAgents({ apiKey: 'k', dangerouslyAllowBrowser: true }));
  } finally {
    delete globalThis.document;
  }
});

test('answers reach JS as sent, fields this version does not know included', async () => {
  const vault = {
    id: 'vlt_1',
    type: 'vault',
    display_name: 'v',
    metadata: {},
    archived_at: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    field_from_a_newer_server: { nested: [1, 2.5, 'x'] },
  };
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    const list = request.url.startsWith('/v1/vaults?');
    response.end(JSON.stringify(list ? { data: [vault], next_page: null } : vault));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const local = new ManagedAgents({
    apiKey: 'k',
    baseURL: `http://127.0.0.1:${server.address().port}`,
  });
  try {
    assert.deepEqual(await local.vaults.retrieve('vlt_1'), vault);
    assert.deepEqual(await collect(local.vaults.list()), [vault]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('the plain ES module build runs with the wasm handed over (as on edge runtimes)', async () => {
  const { readFile } = await import('node:fs/promises');
  const web = await import('../../pkg/web/index.js');
  const bytes = await readFile(
    new URL('../../pkg/web/managed_agents_wasm_bg.wasm', import.meta.url),
  );
  await web.init({ module_or_path: await WebAssembly.compile(bytes) });
  const edge = new web.ManagedAgents({ apiKey, baseURL });
  const vault = await edge.vaults.create({ display_name: unique('edge') });
  assert.equal((await edge.vaults.retrieve(vault.id)).id, vault.id);
});

test('a build without some resource groups runs their calls and refuses the others', async () => {
  // The four-call variant (`cargo xtask wasm` builds it with the cargo features environments,
  // files and sessions only) through its plain ES module build.
  const { readFile } = await import('node:fs/promises');
  const variant = await import('../../pkg-four-calls/web/index.js');
  const wasm = new URL('../../pkg-four-calls/web/managed_agents_wasm_bg.wasm', import.meta.url);
  // A compiled module handed over as it is (wasm-bindgen itself wants it wrapped, and warns).
  const warn = console.warn;
  const warnings = [];
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    await variant.init(await WebAssembly.compile(await readFile(wasm)));
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, []);
  const small = new variant.ManagedAgents({ apiKey, baseURL });

  const env = await small.environments.create({ name: unique('four-calls') });
  assert.ok((await collect(small.environments.list())).some((listed) => listed.id === env.id));
  const file = await small.files.upload({ file: new Uint8Array([1, 2, 3]), filename: 'a.bin' });
  assert.equal(file.size_bytes, 3);
  assert.equal((await small.files.retrieveMetadata(file.id)).id, file.id);
  const agent = await client.agents.create({ name: unique('agent'), model: 'claude-opus-4-7' });
  const session = await client.sessions.create({ agent: agent.id, environment_id: env.id });
  assert.deepEqual(await collect(small.sessions.resources.list(session.id)), []);
  assert.equal((await small.sessions.retrieve(session.id)).id, session.id);

  const refused = async (call, group, feature) => {
    await assert.rejects(call, (error) => {
      assert.ok(error instanceof variant.ManagedAgentsError, String(error));
      assert.equal(error.kind, 'unavailable');
      assert.match(error.message, new RegExp(`\`${group}\` is not in this build`));
      assert.match(error.message, new RegExp(`cargo feature \`${feature}\``));
      return true;
    });
  };
  const name = unique('never-sent');
  await refused(small.agents.create({ name, model: 'claude-opus-4-7' }), 'agents', 'agents');
  await refused(small.agents.retrieve(agent.id), 'agents', 'agents');
  await refused(collect(small.agents.list()), 'agents', 'agents');
  await refused(small.vaults.create({ display_name: 'v' }), 'vaults', 'vaults');
  await refused(collect(small.vaults.list()), 'vaults', 'vaults');
  await refused(small.memoryStores.create({ name: 'm' }), 'memoryStores', 'memory-stores');
  await refused(collect(small.memoryStores.list()), 'memoryStores', 'memory-stores');
  // Nothing was sent for the refused calls.
  assert.ok(!(await collect(client.agents.list())).some((listed) => listed.name === name));
});
