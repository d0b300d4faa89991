import { graphErrors } from '../core/graph.ts';

/** The `fields` parameter as a list; unknown names are refused as Graph does. */
export function requestedFields(params: Record<string, string>, known: string[], nodeType: string): string[] {
  const fields = (params.fields ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const unknown = fields.find((field) => !known.includes(field));
  if (unknown)
    throw graphErrors.invalidParameter(`Tried accessing nonexisting field (${unknown}) on node type (${nodeType})`);
  return fields;
}
