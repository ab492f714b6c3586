// group_concat / string_agg and the JSON-building aggregates (array_agg, json_group_array, json_group_object).

import type { SqlType, SqlValue } from '../value.js';
import { valueToText } from '../value-text.js';
import { escapeJsonString, sqlToJson, stringifyJson } from '../functions/json-core.js';
import { aggregate, type AggregateFunction, type AggregateState } from './aggregate-function.js';

/** group_concat: the separator goes before every value but the first; inverse drops the oldest value. */
class ConcatState implements AggregateState {
  private readonly vals: string[] = [];
  private readonly seps: string[] = [];
  private head = 0;
  constructor(private readonly types: readonly SqlType[]) {}
  step(args: readonly SqlValue[]): void {
    const v = args[0]!;
    if (v === null) return;
    const sep = args.length > 1 ? (valueToText(args[1]!, this.types[1]) ?? '') : ',';
    this.seps.push(sep);
    this.vals.push(valueToText(v, this.types[0]) as string);
  }
  inverse(args: readonly SqlValue[]): void {
    if (args[0] !== null && this.head < this.vals.length) this.head++;
  }
  result(): SqlValue {
    if (this.head >= this.vals.length) return null;
    let out = this.vals[this.head]!;
    for (let i = this.head + 1; i < this.vals.length; i++) out += this.seps[i]! + this.vals[i]!;
    return out;
  }
}

/** json_group_array and array_agg: NULLs become JSON null; TEXT typed 'json' is embedded as JSON. */
class JsonArrayState implements AggregateState {
  private readonly items: string[] = [];
  private head = 0;
  constructor(
    private readonly types: readonly SqlType[],
    private readonly emptyIsNull: boolean,
  ) {}
  step(args: readonly SqlValue[]): void {
    this.items.push(stringifyJson(sqlToJson(args[0]!, this.types[0])));
  }
  inverse(): void {
    if (this.head < this.items.length) this.head++;
  }
  result(): SqlValue {
    if (this.head >= this.items.length && this.emptyIsNull) return null;
    return '[' + this.items.slice(this.head).join(',') + ']';
  }
}

/** json_group_object(label, value): rows with a NULL label are skipped; labels are read as text. */
class JsonObjectState implements AggregateState {
  private readonly parts: string[] = [];
  private head = 0;
  constructor(private readonly types: readonly SqlType[]) {}
  step(args: readonly SqlValue[]): void {
    const k = args[0]!;
    if (k === null) return;
    const key = escapeJsonString(valueToText(k, this.types[0]) as string);
    this.parts.push('"' + key + '":' + stringifyJson(sqlToJson(args[1]!, this.types[1])));
  }
  inverse(args: readonly SqlValue[]): void {
    if (args[0] !== null && this.head < this.parts.length) this.head++;
  }
  result(): SqlValue {
    return '{' + this.parts.slice(this.head).join(',') + '}';
  }
}

/** group_concat, string_agg, array_agg, json_group_array, json_group_object. */
export const TEXT_AGGREGATES: readonly AggregateFunction[] = [
  aggregate('group_concat', 1, 2, 'text', (t) => new ConcatState(t)),
  aggregate('string_agg', 2, 2, 'text', (t) => new ConcatState(t)),
  aggregate('array_agg', 1, 1, 'json', (t) => new JsonArrayState(t, true)),
  aggregate('json_group_array', 1, 1, 'json', (t) => new JsonArrayState(t, false)),
  aggregate('json_group_object', 2, 2, 'json', (t) => new JsonObjectState(t)),
];
