import { graphErrors } from '../core/graph.ts';

/** A parsed Graph `fields` parameter: each field with its requested sub-fields (`a{b,c}`), if any. */
export type FieldSelection = Map<string, FieldSelection | undefined>;

/** Parses `id,name,instagram_business_account{id,username}`; malformed braces give code 100. */
export function parseFields(value: string | undefined, defaults: string[]): FieldSelection {
  const source = value?.trim() ? value : defaults.join(',');
  let position = 0;
  const parseList = (): FieldSelection => {
    const selection: FieldSelection = new Map();
    while (position < source.length) {
      const match = /^\s*([A-Za-z0-9_.]+)\s*/.exec(source.slice(position));
      if (!match?.[1]) throw graphErrors.invalidParameter(`Syntax error in fields: "${source}"`);
      position += match[0].length;
      let children: FieldSelection | undefined;
      if (source[position] === '{') {
        position += 1;
        children = parseList();
        if (source[position] !== '}') throw graphErrors.invalidParameter(`Syntax error in fields: "${source}"`);
        position += 1;
      }
      selection.set(match[1], children);
      if (source[position] === ',') position += 1;
      else break;
    }
    return selection;
  };
  const fields = parseList();
  if (position !== source.length) throw graphErrors.invalidParameter(`Syntax error in fields: "${source}"`);
  return fields;
}
