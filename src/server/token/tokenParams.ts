// The token endpoint's parameters checked against schemas/token-request.schema.json before anything
// else reads them: a wrong type or an unknown grant is a 400 that names the parameter, never a crash
// or a silent default.
import type { ValidateFunction } from 'ajv';
import { describeSchemaErrors, schemaRegistry } from '../../common/schemas.js';

const validators = new Map<'get' | 'post', ValidateFunction>();

function validator(kind: 'get' | 'post'): ValidateFunction {
  let v = validators.get(kind);
  if (!v) {
    v = schemaRegistry().getSchema(`token-request.schema.json#/$defs/${kind}`);
    if (!v) throw new Error(`token-request.schema.json has no $defs/${kind}`);
    validators.set(kind, v);
  }
  return v;
}

/** Undefined when the parameters are well-formed; otherwise what is wrong, naming each parameter. */
export function tokenParamsProblem(kind: 'get' | 'post', params: unknown): string | undefined {
  const validate = validator(kind);
  if (validate(params ?? {})) return undefined;
  const issues = describeSchemaErrors(validate.errors).map((i) => `${i.path.replace(/^\//, '') || (kind === 'get' ? 'query' : 'form')} ${i.message}`);
  return `invalid token request: ${[...new Set(issues)].join('; ')}`;
}
