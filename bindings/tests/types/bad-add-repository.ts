// A deliberate type error: the typings must reject it (check.mjs expects tsc to fail here).
import ManagedAgents from '../../pkg/index.js';

export async function wrong(): Promise<void> {
  const client = new ManagedAgents({ apiKey: 'k' });
  // Only file resources can be added to a running session.
  await client.sessions.resources.add('sesn_1', {
    type: 'github_repository',
    url: 'https://github.com/o/r',
    authorization_token: 't',
  });
}
