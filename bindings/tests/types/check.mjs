// `tsc --strict` (pinned) over the package's typings: good.ts, which uses every resource,
// must compile; bad.ts, with a deliberate type error, must not. Run by `cargo xtask wasm test`
// after the package is built.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));
const flags = [
  '--strict',
  '--noEmit',
  '--target', 'es2022',
  '--module', 'nodenext',
  '--moduleResolution', 'nodenext',
  '--lib', 'es2022,dom',
  '--skipLibCheck', 'false',
];

function compile(file) {
  const result = spawnSync(tsc, [...flags, file], { cwd: here, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

let failed = 0;
const good = compile('good.ts');
if (good.status === 0) {
  console.log('ok   good.ts compiles under --strict');
} else {
  failed += 1;
  console.log(`FAIL good.ts does not compile:\n${good.output}`);
}
const bad = compile('bad.ts');
const expected = /bad\.ts\(\d+,\d+\): error TS2(322|353|769)/;
const elsewhere = bad.output.split('\n').filter((line) => /error TS/.test(line) && !line.startsWith('bad.ts'));
if (bad.status !== 0 && expected.test(bad.output) && elsewhere.length === 0) {
  console.log('ok   bad.ts is rejected:');
  console.log(bad.output.trim().replace(/^/gm, '       '));
} else {
  failed += 1;
  console.log(`FAIL bad.ts was not rejected as expected (exit ${bad.status}):\n${bad.output}`);
}
console.log(`tsc: ${2 - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
