// Entry for browsers used without a bundler, web workers, Deno and edge runtimes (plain ES
// modules). The wasm is fetched next to this file on first use; call `init(source)` first to
// load it from elsewhere (for example a compiled `WebAssembly.Module` on an edge runtime).
import load, { WasmClient } from './managed_agents_wasm.js';
import { makeClient } from './client.js';

export * from './client.js';
/** Loads the wasm from `source` (a URL, a `Response`, bytes or a compiled
 * `WebAssembly.Module`), or from next to this file when it is omitted. */
export function init(source) {
  const wrapped =
    source === undefined ||
    (source !== null && typeof source === 'object' && 'module_or_path' in source);
  return load(wrapped ? source : { module_or_path: source });
}
export const ManagedAgents = makeClient(async () => {
  await load();
  return WasmClient;
});
export default ManagedAgents;
