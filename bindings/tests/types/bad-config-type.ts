// A deliberate type error: the typings must reject it (check.mjs expects tsc to fail here).
import ManagedAgents from '../../pkg/index.js';

export async function wrong(): Promise<void> {
  const client = new ManagedAgents({ apiKey: 'k' });
  // A request union has no unknown branch: a misspelled kind does not compile.
  await client.environments.create({ name: 'x', config: { type: 'clud' } });
}
