// Uses every resource of the package with its typings; must compile under `tsc --strict`.
import ManagedAgents, {
  APIError,
  type Environment,
  type EnvironmentCreateParams,
  type FileObject,
  type SessionResource,
  type SessionStatus,
} from '../../pkg/index.js';

export async function everything(file: File, bytes: Uint8Array): Promise<string[]> {
  const client = new ManagedAgents({ apiKey: 'k', baseURL: 'http://127.0.0.1:1', maxRetries: 1 });
  const seen: string[] = [];

  const params: EnvironmentCreateParams = {
    name: 'python-dev',
    config: { type: 'cloud', networking: { type: 'limited', allow_package_managers: true } },
    metadata: { team: 'data' },
  };
  const environment: Environment = await client.environments.create(params, { timeout: 5000 });
  if (environment.config.type === 'cloud') {
    const networking = environment.config.networking;
    if (networking && networking.type === 'limited') seen.push(String(networking.allowed_hosts));
  }
  await client.environments.update(environment.id, { description: null, metadata: { team: null } });
  await client.environments.retrieve(environment.id);
  for await (const listed of client.environments.list({ include_archived: true, limit: 10 })) {
    seen.push(listed.name);
  }
  await client.environments.archive(environment.id);
  const deleted = await client.environments.delete(environment.id);
  seen.push(deleted.type);

  const agent = await client.agents.create({
    name: 'GitHub Agent',
    model: 'claude-opus-4-7',
    mcp_servers: [{ type: 'url', name: 'github', url: 'https://api.githubcopilot.com/mcp/' }],
    tools: [{ type: 'agent_toolset_20260401', default_config: { enabled: true } }],
  });
  await client.agents.update(agent.id, { version: agent.version, system: 'Be brief.' });
  for await (const listed of client.agents.list()) seen.push(listed.id);
  await client.agents.retrieve(agent.id);
  await client.agents.archive(agent.id);

  const vault = await client.vaults.create({ display_name: 'secrets' });
  await client.vaults.update(vault.id, { display_name: 'renamed' });
  for await (const listed of client.vaults.list({ limit: 5 })) seen.push(listed.display_name);
  await client.vaults.retrieve(vault.id);
  await client.vaults.archive(vault.id);
  await client.vaults.delete(vault.id);

  const store = await client.memoryStores.create({ name: 'User Preferences' });
  await client.memoryStores.update(store.id, { description: 'likes' });
  for await (const listed of client.memoryStores.list()) seen.push(listed.name);
  await client.memoryStores.retrieve(store.id);
  await client.memoryStores.archive(store.id);
  await client.memoryStores.delete(store.id);

  const upload: FileObject = await client.files.upload({ file });
  await client.files.upload({
    file: bytes,
    filename: 'raw.bin',
    mimeType: 'application/octet-stream',
  });
  await client.files.retrieveMetadata(upload.id);
  const content: Uint8Array = await client.files.download(upload.id);
  seen.push(String(content.length));
  for await (const listed of client.files.list({ scope_id: 'sesn_1' })) seen.push(listed.filename);
  await client.files.delete(upload.id);

  const session = await client.sessions.create({
    agent: agent.id,
    environment_id: environment.id,
    resources: [
      { type: 'file', file_id: upload.id, mount_path: '/workspace/data.csv' },
      {
        type: 'github_repository',
        url: 'https://github.com/owner/repo',
        authorization_token: 'ghp_x',
        checkout: { type: 'branch', name: 'main' },
      },
    ],
  });
  const status: SessionStatus = session.status;
  if (status === 'idle' || status === 'some-future-status') seen.push(status);
  await client.sessions.update(session.id, { title: 't' });
  await client.sessions.retrieve(session.id);
  for await (const listed of client.sessions.list({ order: 'asc', statuses: ['idle'] }))
    seen.push(listed.id);

  const added = await client.sessions.resources.add(session.id, {
    type: 'file',
    file_id: upload.id,
  });
  const resource: SessionResource = await client.sessions.resources.retrieve(added.id ?? '', {
    session_id: session.id,
  });
  // An unknown kind may also say any `type`, so narrowed fields may be undefined.
  if (resource.type === 'github_repository') seen.push(resource.url ?? '');
  await client.sessions.resources.update('sesrsc_1', {
    session_id: session.id,
    authorization_token: 'ghp_y',
  });
  for await (const listed of client.sessions.resources.list(session.id)) seen.push(listed.type);
  await client.sessions.resources.delete('sesrsc_1', { session_id: session.id });
  await client.sessions.archive(session.id);
  await client.sessions.delete(session.id);

  try {
    await client.vaults.retrieve('vlt_1');
  } catch (error) {
    if (error instanceof APIError)
      seen.push(`${error.status} ${error.type ?? ''} ${error.requestID ?? ''}`);
  }
  return seen;
}
