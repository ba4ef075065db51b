// The register's JSON Schema is compiled ahead of time into lib/cli/private/register-validator.ts
// (ajv standalone code: `nhi` starts without compiling the schema). This test keeps the two in
// step: it fails when the schema changed and the code was not regenerated; run it with
// NHI_WRITE_VALIDATOR=1 to regenerate.
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { REGISTER_SCHEMA_FILE } from '../../lib/cli/load';

const GENERATED = path.join(__dirname, '..', '..', 'lib', 'cli', 'private', 'register-validator.ts');

/**
 * The options `nhi` validates with; the schema is trusted (checked below), so not re-validated at
 * run time. `unicode: false` measures minLength in UTF-16 units instead of walking every string
 * for code points: the same meaning for the schema's only length rules, `minLength: 1` (a test
 * below keeps them the only ones). The option is deprecated in ajv 8 but honoured; its notice is
 * silenced (`logger: false`; the strict check below still reports schema problems).
 */
function generate(): string {
  const schema = JSON.parse(fs.readFileSync(REGISTER_SCHEMA_FILE, 'utf8'));
  const ajv = new Ajv({ allErrors: false, strict: false, unicode: false, logger: false, code: { source: true } } as any);
  const code = standaloneCode(ajv, ajv.compile(schema));
  return [
    '// @ts-nocheck',
    '/* eslint-disable */',
    '// GENERATED from ../nhi-register.schema.json by ajv standalone code (see',
    '// test/cli/register-validator.test.ts; NHI_WRITE_VALIDATOR=1 regenerates it). Do not edit.',
    code,
    '',
  ].join('\n');
}

describe('register JSON Schema', () => {
  test('is a valid draft-07 JSON Schema', () => {
    const schema = JSON.parse(fs.readFileSync(REGISTER_SCHEMA_FILE, 'utf8'));
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  test('its only length rules are minLength 1 (what makes unicode: false keep the meaning)', () => {
    const text = fs.readFileSync(REGISTER_SCHEMA_FILE, 'utf8');
    const rules = text.match(/"(minLength|maxLength)"\s*:\s*\d+/g) ?? [];
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules)).toEqual(new Set(['"minLength": 1']));
  });

  test('the precompiled validator is generated from the current schema', () => {
    const expected = generate();
    if (process.env.NHI_WRITE_VALIDATOR) fs.writeFileSync(GENERATED, expected);
    expect(fs.readFileSync(GENERATED, 'utf8')).toBe(expected);
  });
});
