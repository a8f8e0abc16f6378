// `tsc --strict` (pinned) over the package's typings: good.ts, which uses every resource,
// must compile; each bad*.ts, with one deliberate type error, must not. Run by
// `cargo xtask wasm test` after the package is built.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));
const flags = [
  '--strict',
  '--noEmit',
  '--target',
  'es2022',
  '--module',
  'nodenext',
  '--moduleResolution',
  'nodenext',
  '--lib',
  'es2022,dom',
  '--skipLibCheck',
  'false',
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
// Every bad*.ts holds one deliberate mistake, and each must be refused on its own.
const badFiles = readdirSync(here)
  .filter((name) => /^bad.*\.ts$/.test(name))
  .sort();
for (const file of badFiles) {
  const bad = compile(file);
  const expected = new RegExp(
    `${file.replace('.', '\\.')}\\(\\d+,\\d+\\): error TS2(322|353|561|769|820)`,
  );
  const elsewhere = bad.output
    .split('\n')
    .filter((line) => /error TS/.test(line) && !line.startsWith(file));
  if (bad.status !== 0 && expected.test(bad.output) && elsewhere.length === 0) {
    console.log(`ok   ${file} is rejected:`);
    console.log(bad.output.trim().replace(/^/gm, '       '));
  } else {
    failed += 1;
    console.log(`FAIL ${file} was not rejected as expected (exit ${bad.status}):\n${bad.output}`);
  }
}
console.log(`tsc: ${1 + badFiles.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
