// Entry for bundlers (webpack, Vite, esbuild with a wasm loader): the bundler loads the wasm.
import { WasmClient } from './managed_agents_wasm.js';
import { makeClient } from './client.js';

export * from './client.js';
export const ManagedAgents = makeClient(async () => WasmClient);
/** Nothing to load by hand in this build; kept so that code can call it everywhere. */
export async function init() {}
export default ManagedAgents;
