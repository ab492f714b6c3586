// SQLite JSON paths ($.a."b c"[0][#-1]): parsing, lookup, in-place edits (set/insert/replace/remove) and merge patch.

import { QueryExecutionError } from '../../errors.js';
import { escapeJsonString, unescapeJsonString, type JsonNode } from './json-core.js';

/** One step of a path: an object label, or an array index counted from the start or (fromEnd) the end. */
export type PathStep = { readonly k: 'key'; readonly key: string } | { readonly k: 'idx'; readonly n: number; readonly fromEnd: boolean };

const pathCache = new Map<string, PathStep[]>();

/** Parses a path such as $.a.b[0] or $."x.y"[#-1]; throws SQLite's "bad JSON path" error. */
export function parsePath(path: string): PathStep[] {
  const hit = pathCache.get(path);
  if (hit) return hit;
  const bad = (): never => {
    throw new QueryExecutionError(`bad JSON path: '${path}'`);
  };
  if (path[0] !== '$') bad();
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      if (path[i] === '"') {
        const end = path.indexOf('"', i + 1);
        if (end < 0) bad();
        steps.push({ k: 'key', key: path.slice(i + 1, end) });
        i = end + 1;
      } else {
        const start = i;
        while (i < path.length && path[i] !== '.' && path[i] !== '[') i++;
        if (i === start) bad();
        steps.push({ k: 'key', key: path.slice(start, i) });
      }
    } else if (c === '[') {
      i++;
      let fromEnd = false;
      if (path[i] === '#') {
        fromEnd = true;
        i++;
        if (path[i] === ']') {
          steps.push({ k: 'idx', n: 0, fromEnd });
          i++;
          continue;
        }
        if (path[i] !== '-') bad();
        i++;
      }
      const start = i;
      while (path.charCodeAt(i) >= 48 && path.charCodeAt(i) <= 57) i++;
      if (i === start || path[i] !== ']') bad();
      steps.push({ k: 'idx', n: Number(path.slice(start, i)), fromEnd });
      i++;
    } else bad();
  }
  if (pathCache.size >= 512) pathCache.clear();
  pathCache.set(path, steps);
  return steps;
}

function keyIndex(obj: Extract<JsonNode, { t: 'object' }>, key: string): number {
  for (let i = 0; i < obj.keys.length; i++) {
    const k = obj.keys[i]!;
    if (k === key || (k.includes('\\') && unescapeJsonString(k) === key)) return i;
  }
  return -1;
}

function arrayIndex(arr: Extract<JsonNode, { t: 'array' }>, step: Extract<PathStep, { k: 'idx' }>): number {
  return step.fromEnd ? arr.items.length - step.n : step.n;
}

/** The node at `steps` below `root`, or undefined when the path leads nowhere. */
export function lookupPath(root: JsonNode, steps: readonly PathStep[]): JsonNode | undefined {
  let n: JsonNode = root;
  for (const s of steps) {
    if (s.k === 'key') {
      if (n.t !== 'object') return undefined;
      const i = keyIndex(n, s.key);
      if (i < 0) return undefined;
      n = n.vals[i]!;
    } else {
      if (n.t !== 'array') return undefined;
      const i = arrayIndex(n, s);
      if (i < 0 || i >= n.items.length) return undefined;
      n = n.items[i]!;
    }
  }
  return n;
}

/** How json_set / json_insert / json_replace / json_remove treat a path. */
export type EditMode = 'set' | 'insert' | 'replace' | 'remove';

/** Builds the structure a set/insert creates for the missing remainder of a path. */
function create(steps: readonly PathStep[], from: number, value: JsonNode): JsonNode {
  let n = value;
  for (let k = steps.length - 1; k >= from; k--) {
    const s = steps[k]!;
    n = s.k === 'key' ? { t: 'object', keys: [escapeJsonString(s.key)], vals: [n] } : { t: 'array', items: [n] };
  }
  return n;
}

/**
 * Applies one edit to `root` in place and returns the new root; `undefined` means the whole
 * document was removed (json_remove(x, '$') is NULL).
 */
export function editPath(root: JsonNode, steps: readonly PathStep[], mode: EditMode, value?: JsonNode): JsonNode | undefined {
  if (steps.length === 0) {
    if (mode === 'remove') return undefined;
    return mode === 'insert' ? root : value;
  }
  let n: JsonNode = root;
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k]!;
    const last = k === steps.length - 1;
    if (s.k === 'key') {
      if (n.t !== 'object') return root;
      const i = keyIndex(n, s.key);
      if (i >= 0) {
        if (!last) {
          n = n.vals[i]!;
          continue;
        }
        if (mode === 'remove') {
          n.keys.splice(i, 1);
          n.vals.splice(i, 1);
        } else if (mode !== 'insert') n.vals[i] = value!;
        return root;
      }
      if (mode === 'set' || mode === 'insert') {
        n.keys.push(escapeJsonString(s.key));
        n.vals.push(create(steps, k + 1, value!));
      }
      return root;
    }
    if (n.t !== 'array') return root;
    const i = arrayIndex(n, s);
    if (i >= 0 && i < n.items.length) {
      if (!last) {
        n = n.items[i]!;
        continue;
      }
      if (mode === 'remove') n.items.splice(i, 1);
      else if (mode !== 'insert') n.items[i] = value!;
      return root;
    }
    if (i === n.items.length && (mode === 'set' || mode === 'insert')) n.items.push(create(steps, k + 1, value!));
    return root;
  }
  return root;
}

/** RFC 7396 merge patch, as json_patch() applies it. */
export function mergePatch(target: JsonNode, patch: JsonNode): JsonNode {
  if (patch.t !== 'object') return patch;
  const base: Extract<JsonNode, { t: 'object' }> = target.t === 'object' ? target : { t: 'object', keys: [], vals: [] };
  for (let p = 0; p < patch.keys.length; p++) {
    const key = unescapeJsonString(patch.keys[p]!);
    const pv = patch.vals[p]!;
    const i = keyIndex(base, key);
    if (pv.t === 'null') {
      if (i >= 0) {
        base.keys.splice(i, 1);
        base.vals.splice(i, 1);
      }
    } else if (i >= 0) base.vals[i] = mergePatch(base.vals[i]!, pv);
    else {
      base.keys.push(patch.keys[p]!);
      base.vals.push(mergePatch({ t: 'null' }, pv));
    }
  }
  return base;
}
