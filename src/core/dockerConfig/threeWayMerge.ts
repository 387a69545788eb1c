// Merging two writers' versions of one JSON document that both started from `base`: what Bosun
// does when its atomic exchange of config.json hands back a file another program (docker login,
// docker logout, docker context use) wrote in the meantime. Objects merge key by key, recursively;
// anything else (strings, numbers, arrays) is one value. When both sides changed the same value,
// `theirs` wins: it is the other program's setting, and Bosun re-applies its own entries afterwards.
type Json = unknown;

/** Structural equality of two JSON values (parsed JSON: no cycles, no class instances). Key order does not matter. Pure, so the core needs no node:util. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  // The same prototype too, as node:util's isDeepStrictEqual requires (JSON.parse never makes a null-prototype object).
  if (!isPlainObject(a) || !isPlainObject(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
}

function isPlainObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `undefined` stands for "absent", so a key deleted by one side stays deleted unless the other side
 * changed its value. Key order: `ours`, then keys only `theirs` has, in their order.
 */
export function mergeThreeWay(base: Json, ours: Json, theirs: Json): Json {
  if (jsonEqual(theirs, base)) return ours;
  if (jsonEqual(ours, base) || jsonEqual(ours, theirs)) return theirs;
  if (!isPlainObject(ours) || !isPlainObject(theirs)) return theirs;
  const baseObject = isPlainObject(base) ? base : {};
  const merged: Record<string, Json> = {};
  for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    const value = mergeThreeWay(own(baseObject, key), own(ours, key), own(theirs, key));
    // defineProperty, not assignment: a `__proto__` key must stay a key, as JSON.parse made it.
    if (value !== undefined) Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

/** Own properties only: a key named `__proto__` or `toString` in a config file is data, not a prototype lookup. */
function own(object: Record<string, Json>, key: string): Json {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}
