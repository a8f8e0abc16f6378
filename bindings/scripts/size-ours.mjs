// The calls the size comparison uses, through this package's web build.
import ManagedAgents from '../pkg/web/index.js';

export async function calls(file) {
  const client = new ManagedAgents({ apiKey: 'key', dangerouslyAllowBrowser: true });
  await client.environments.create({ name: 'python-dev' });
  for await (const environment of client.environments.list()) console.log(environment.id);
  await client.files.upload({ file });
  for await (const resource of client.sessions.resources.list('sesn_1')) console.log(resource.id);
}
