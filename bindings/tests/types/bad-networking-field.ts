// A deliberate type error: the typings must reject it (check.mjs expects tsc to fail here).
import ManagedAgents from '../../pkg/index.js';

export async function wrong(): Promise<void> {
  const client = new ManagedAgents({ apiKey: 'k' });
  // A field misspelled inside a known kind of a nested union.
  await client.environments.create({
    name: 'x',
    config: { type: 'cloud', networking: { type: 'limited', allowed_hostz: ['a'] } },
  });
}
