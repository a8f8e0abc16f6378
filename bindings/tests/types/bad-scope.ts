// A deliberate type error: the typings must reject it (check.mjs expects tsc to fail here).
import ManagedAgents from '../../pkg/index.js';

export async function wrong(): Promise<void> {
  const client = new ManagedAgents({ apiKey: 'k' });
  // A request takes only the known values of an open string enum: the API refuses others.
  await client.environments.create({ name: 'x', scope: 'galaxy' });
}
