// The same calls through the official TypeScript SDK, for the size comparison only.
import Anthropic from '@anthropic-ai/sdk';

export async function calls(file) {
  const client = new Anthropic({ apiKey: 'key', dangerouslyAllowBrowser: true });
  await client.beta.environments.create({ name: 'python-dev' });
  for await (const environment of client.beta.environments.list()) console.log(environment.id);
  await client.beta.files.upload({ file });
  for await (const resource of client.beta.sessions.resources.list('sesn_1'))
    console.log(resource.id);
}
