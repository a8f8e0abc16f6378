// A module worker of the Chromium test: the same web build, with no window and no document.
import ManagedAgents from '/pkg/web/index.js';

self.onmessage = async (event) => {
  const { baseURL, apiKey, name } = event.data;
  try {
    const client = new ManagedAgents({ apiKey, baseURL, dangerouslyAllowBrowser: true });
    const vault = await client.vaults.create({ display_name: name });
    let listed = false;
    for await (const item of client.vaults.list({ limit: 5 })) {
      if (item.id === vault.id) listed = true;
    }
    self.postMessage({ ok: true, listed });
  } catch (error) {
    self.postMessage({ ok: false, error: `${error.name}: ${error.message}` });
  }
};
