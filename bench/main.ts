import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm run bench [-- <scenario> [options]]`: runs one scenario by name, or every scenario in turn.
 * publish-burst and refresh-sweep need DATABASE_URL (PostgreSQL); without it, a run of every
 * scenario skips them. Each scenario prints its JSON report and its markdown table; they are
 * also written to `bench-results/<scenario>.json` and `.md`, and `bench-results/report.md`
 * gathers the tables of the run with the machine and the command.
 */
const SCENARIOS = ['api-read', 'keep-alive-sweep', 'publish-burst', 'refresh-sweep', 'footprint'] as const;
type Scenario = (typeof SCENARIOS)[number];
const NEEDS_POSTGRES = new Set<Scenario>(['publish-burst', 'refresh-sweep']);
const RESULTS = path.join(import.meta.dirname, '..', 'bench-results');

const [first, ...rest] = process.argv.slice(2);
const named = SCENARIOS.find((scenario) => scenario === first);
if (first && !first.startsWith('-') && !named) {
  console.error(`unknown scenario "${first}"; expected one of: ${SCENARIOS.join(', ')}`);
  process.exit(1);
}
const options = named ? rest : process.argv.slice(2);

/** Runs a scenario, echoing its output; returns its exit status and what it printed. */
function run(scenario: Scenario): Promise<{ status: number; output: string }> {
  const script = path.join(import.meta.dirname, `${scenario}.ts`);
  const child = spawn(process.execPath, [script, ...options], { stdio: ['inherit', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status: status ?? 1, output })));
}

/** The report a scenario printed: its JSON object (from a line `{` to a line `}`) and its table lines. */
function parseReport(output: string): { json: unknown; table: string[] } {
  const lines = output.split('\n');
  const start = lines.indexOf('{');
  const end = lines.indexOf('}', start);
  const json = start >= 0 && end > start ? JSON.parse(lines.slice(start, end + 1).join('\n')) : null;
  return { json, table: lines.filter((line) => line.startsWith('|')) };
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
const sections: string[] = [
  `# Benchmark run ${new Date().toISOString()}`,
  '',
  `Machine: ${machine}`,
  '',
  `Command: \`${command}\``,
];
let status = 0;
fs.mkdirSync(RESULTS, { recursive: true });
for (const scenario of named ? [named] : SCENARIOS) {
  if (!named && NEEDS_POSTGRES.has(scenario) && !process.env.DATABASE_URL) {
    console.error(`${scenario} skipped: set DATABASE_URL to a PostgreSQL server (see docs/benchmarks.md)`);
    continue;
  }
  const result = await run(scenario);
  status ||= result.status;
  const { json, table } = parseReport(result.output);
  fs.writeFileSync(path.join(RESULTS, `${scenario}.json`), `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS, `${scenario}.md`), `${table.join('\n')}\n`);
  sections.push('', `## ${scenario}${result.status === 0 ? '' : ` (exit ${result.status})`}`, '', ...table);
}
fs.writeFileSync(path.join(RESULTS, 'report.md'), `${sections.join('\n')}\n`);
console.error(`reports written to ${path.relative(process.cwd(), RESULTS)}/`);
process.exit(status);
