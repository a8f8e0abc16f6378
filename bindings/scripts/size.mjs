// Prints the raw and gzip sizes of the package's web build (wasm and JS glue, bundled and
// minified by esbuild) and of the official SDK bundled and minified for the same calls.
// Run by `cargo xtask wasm` after the build.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const TARGET_GZIP = 46 * 1024;

async function bundle(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0].contents;
}

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);
const row = (name, bytes) => {
  console.log(`${name.padEnd(44)}${kb(bytes.length)}${kb(gzip(bytes))}`);
  return gzip(bytes);
};

const wasm = readFileSync(new URL('../pkg/web/managed_agents_wasm_bg.wasm', import.meta.url));
const glue = await bundle(new URL('./size-ours.mjs', import.meta.url).pathname);
const official = await bundle(new URL('./size-official.mjs', import.meta.url).pathname);

console.log(`${'same calls (environments create + list, upload, resources list)'}`);
console.log(`${''.padEnd(44)}${'raw'.padStart(10)}${'gzip'.padStart(10)}`);
const wasmGzip = row('managed-agents-wasm: .wasm (wasm-opt -Oz)', wasm);
const glueGzip = row('managed-agents-wasm: JS glue (esbuild, minified)', glue);
const ours = wasmGzip + glueGzip;
console.log(`${'managed-agents-wasm: total'.padEnd(44)}${''.padStart(10)}${kb(ours)}`);
const theirs = row('official SDK (esbuild bundle, minified)', official);
console.log(
  `\nours / official = ${(ours / theirs).toFixed(2)}; target: at most 46 KB gzip ` +
    `(${ours <= TARGET_GZIP ? 'met' : 'NOT met'})`,
);
