// A deliberate type error: the typings must reject it (check.mjs expects tsc to fail here).
import ManagedAgents from '../../pkg/index.js';

export async function wrong(): Promise<void> {
  const client = new ManagedAgents({ apiKey: 'k' });
  // `name` must be a string, and `networking` is not a field of the create parameters.
  await client.environments.create({ name: 42, networking: 'open' });
}
