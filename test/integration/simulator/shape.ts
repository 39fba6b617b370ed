/**
 * Compares the shape of two JSON values: the same keys at every level and the same JSON type for every value, but
 * not the values themselves. Arrays match when every element of the actual array has the shape of some element of
 * the captured one (captures mix shapes: a bonded player with `zoneId`, a satellite with only `id`).
 */

type Kind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  return 'object';
}

export interface ShapeOptions {
  /**
   * Paths that may be present on one side only, written with `[]` for any array index and dots between keys, e.g.
   * `cmdId` or `players[].zoneInfo.zoneId`.
   */
  optional?: readonly string[];
}

/** Returns the differences; an empty list means the shapes match. */
export function shapeDifferences(
  captured: unknown,
  actual: unknown,
  options: ShapeOptions = {},
  path = '',
): string[] {
  const optional = new Set(options.optional ?? []);
  const capturedKind = kindOf(captured);
  const actualKind = kindOf(actual);
  const at = path === '' ? '(root)' : path;
  if (capturedKind !== actualKind) return [`${at}: captured ${capturedKind}, simulator ${actualKind}`];
  if (capturedKind === 'array') {
    const capturedItems = captured as unknown[];
    const actualItems = actual as unknown[];
    // An empty array on either side says nothing about element shapes.
    if (capturedItems.length === 0 || actualItems.length === 0) return [];
    const differences: string[] = [];
    for (const item of actualItems) {
      let best: string[] | null = null;
      for (const candidate of capturedItems) {
        const diff = shapeDifferences(candidate, item, options, `${path}[]`);
        if (best === null || diff.length < best.length) best = diff;
        if (diff.length === 0) break;
      }
      if (best && best.length > 0) differences.push(...best);
    }
    return [...new Set(differences)];
  }
  if (capturedKind !== 'object') return [];
  const capturedObject = captured as Record<string, unknown>;
  const actualObject = actual as Record<string, unknown>;
  const differences: string[] = [];
  const child = (key: string) => (path === '' ? key : `${path}.${key}`);
  for (const key of Object.keys(capturedObject)) {
    if (!(key in actualObject)) {
      if (!optional.has(child(key))) differences.push(`${child(key)}: missing in simulator`);
      continue;
    }
    differences.push(...shapeDifferences(capturedObject[key], actualObject[key], options, child(key)));
  }
  for (const key of Object.keys(actualObject)) {
    if (!(key in capturedObject) && !optional.has(child(key)))
      differences.push(`${child(key)}: not in capture`);
  }
  return differences;
}

/** A websocket frame is a tuple: header against header, body against body. Paths start with `header.` / `body.`. */
export function frameDifferences(captured: unknown, actual: unknown, options: ShapeOptions = {}): string[] {
  if (!Array.isArray(captured) || captured.length !== 2)
    throw new Error('captured value is not a [header, body] frame');
  if (!Array.isArray(actual) || actual.length !== 2)
    return ['(root): simulator value is not a [header, body] frame'];
  return [
    ...shapeDifferences(captured[0], actual[0], options, 'header'),
    ...shapeDifferences(captured[1], actual[1], options, 'body'),
  ];
}
