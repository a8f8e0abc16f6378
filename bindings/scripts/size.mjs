// Prints the raw and gzip sizes of the package's web build (wasm and JS glue, bundled and
// minified by esbuild), of each variant built with only some resource groups (the first one
// holds the groups the compared calls use) and of the official SDK bundled and minified for the
// same calls. Run by `cargo xtask wasm` after the builds, as
// `node scripts/size.mjs <package label> [<variant folder> <variant label>]...`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const TARGET_GZIP = 46 * 1024;
const [packageLabel = 'features: all', ...variantArgs] = process.argv.slice(2);
const variants = [];
for (let index = 0; index + 1 < variantArgs.length; index += 2) {
  variants.push({ folder: variantArgs[index], label: variantArgs[index + 1] });
}

// Bundles `entry`; with `folder`, its import of `../pkg/web/index.js` reads that folder instead.
async function bundle(entry, folder) {
  const redirect = {
    name: 'variant',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.\/pkg\/web\/index\.js$/ }, () => ({
        path: new URL(`../${folder}/web/index.js`, import.meta.url).pathname,
      }));
    },
  };
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    plugins: folder ? [redirect] : [],
  });
  return result.outputFiles[0].contents;
}

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);
const row = (name, bytes) => {
  console.log(`  ${name.padEnd(42)}${kb(bytes.length)}${kb(gzip(bytes))}`);
  return gzip(bytes);
};

// Prints the rows of one build of this package and answers its total gzip size.
async function ours(title, folder) {
  const wasm = readFileSync(
    new URL(`../${folder}/web/managed_agents_wasm_bg.wasm`, import.meta.url),
  );
  const glue = await bundle(new URL('./size-ours.mjs', import.meta.url).pathname, folder);
  console.log(title);
  const total = row('.wasm (wasm-opt -Oz)', wasm) + row('JS glue (esbuild, minified)', glue);
  console.log(`  ${'total'.padEnd(42)}${''.padStart(10)}${kb(total)}`);
  return total;
}

console.log('same four calls (environments create + list, file upload, session resources list)');
console.log(`  ${''.padEnd(42)}${'raw'.padStart(10)}${'gzip'.padStart(10)}`);
const full = await ours(`managed-agents-wasm package, bindings/pkg (${packageLabel})`, 'pkg');
const variantSizes = [];
for (const { folder, label } of variants) {
  variantSizes.push(await ours(`managed-agents-wasm, bindings/${folder} (${label})`, folder));
}
const variant = variantSizes[0] ?? full;
const official = await bundle(new URL('./size-official.mjs', import.meta.url).pathname);
console.log('official TypeScript SDK');
const theirs = row('esbuild bundle, minified, tree-shaken', official);

const ratio = (size) => (size / theirs).toFixed(2);
const verdict = (size) => (size <= TARGET_GZIP ? 'met' : 'NOT met');
console.log(
  `\npackage / official = ${ratio(full)}; ${variants[0]?.label ?? 'package'} / official = ` +
    `${ratio(variant)}` +
    `\ntarget: at most 46 KB gzip for the four calls: ${verdict(variant)} ` +
    `(${(variant / 1024).toFixed(1)} KB)`,
);
