// A deliberate type error: the typings must reject it (check.mjs expects tsc to fail here).
import ManagedAgents from '../../pkg/index.js';

export async function wrong(): Promise<void> {
  const client = new ManagedAgents({ apiKey: 'k' });
  // A misspelled field of a session resource.
  await client.sessions.create({
    agent: 'agent_1',
    environment_id: 'env_1',
    resources: [{ type: 'file', fileid: 'file_1' }],
  });
}
