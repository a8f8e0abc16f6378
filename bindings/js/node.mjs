// Entry for Node (18 and later): the wasm module is loaded synchronously from this folder.
import wasm from './managed_agents_wasm.js';
import { makeClient } from './client.mjs';

export * from './client.mjs';
export const ManagedAgents = makeClient(async () => wasm.WasmClient);
/** Nothing to load by hand in this build; kept so that code can call it everywhere. */
export async function init() {}
export default ManagedAgents;
