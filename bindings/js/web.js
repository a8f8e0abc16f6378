// Entry for browsers used without a bundler, web workers, Deno and edge runtimes (plain ES
// modules). The wasm is fetched next to this file on first use; call `init(source)` first to
// load it from elsewhere (for example a compiled `WebAssembly.Module` on an edge runtime).
import init, { WasmClient } from './managed_agents_wasm.js';
import { makeClient } from './client.js';

export * from './client.js';
export { init };
export const ManagedAgents = makeClient(async () => {
  await init();
  return WasmClient;
});
export default ManagedAgents;
