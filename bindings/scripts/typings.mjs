// Turns the combined wire schema (JSON on stdin, prepared by `cargo xtask codegen`) into
// TypeScript declarations on stdout, with json-schema-to-typescript at the pinned version.
import { text } from 'node:stream/consumers';
import { compile } from 'json-schema-to-typescript';

const schema = JSON.parse(await text(process.stdin));
const declarations = await compile(schema, schema.title, {
  additionalProperties: false,
  bannerComment: '',
  declareExternallyReferenced: true,
  format: true,
  strictIndexSignatures: true,
  unknownAny: true,
  unreachableDefinitions: true,
  style: { printWidth: 100, singleQuote: false, semi: true },
});
process.stdout.write(declarations);
