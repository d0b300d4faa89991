/** Prints rows as an aligned text table, or as JSON with --json. */
export function printRows(rows: Record<string, unknown>[], { json, empty }: { json: boolean; empty: string }) {
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write(`${empty}\n`);
    return;
  }
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: unknown) => (value instanceof Date ? value.toISOString() : value == null ? '-' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(columns), ...rows.map((row) => line(columns.map((c) => cell(row[c]))))].join('\n')}\n`);
}

export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
