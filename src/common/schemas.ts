import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { packageRoot } from './packageRoot.js';

/** One schema violation, named by JSON path (RFC 6901 pointer, "" for the document root). */
export interface SchemaIssue {
  path: string;
  message: string;
}

let ajv: Ajv2020 | undefined;

// Every schemas/*.schema.json by file name, embedded by scripts/build.mjs in bundles that run with no
// schemas/ directory beside them (the `bosun` single executable). Absent when run from source.
declare const __BOSUN_SCHEMAS__: Record<string, object> | undefined;

/** The schemas by file name: embedded at build time, or read from the package's schemas/ directory. */
function schemaFiles(): [string, object][] {
  // build.mjs embeds them in file-name order, the same order as the directory listing below.
  if (typeof __BOSUN_SCHEMAS__ === 'object') return Object.entries(__BOSUN_SCHEMAS__);
  const dir = join(packageRoot(), 'schemas');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as object]);
}

/**
 * One Ajv instance for every schema in `schemas/`, so `$ref`s between them resolve by `$id`.
 * allErrors: the design asks for *every* error to be reported, not the first.
 */
export function schemaRegistry(): Ajv2020 {
  if (ajv) return ajv;
  const instance = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  // ajv-formats is CommonJS; its default export arrives as .default under NodeNext.
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv2020) => void)(instance);
  for (const [file, schema] of schemaFiles()) instance.addSchema(schema, file);
  return (ajv = instance);
}

/** The validator for `schemas/<file>` (for example `registry.schema.json`). */
export function validatorFor<T = unknown>(file: string): ValidateFunction<T> {
  const fn = schemaRegistry().getSchema<T>(file);
  if (!fn) throw new Error(`schema ${file} is not in schemas/`);
  return fn;
}

/** Ajv errors as {path, message} pairs that an admin can read. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaIssue[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = `${path}/${String((e.params as { missingProperty: string }).missingProperty)}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = `${path}/${String((e.params as { additionalProperty: string }).additionalProperty)}`;
      message = 'is not an allowed property';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    }
    return { path, message };
  });
}
