import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * `npm run bench [-- <scenario> [options]]`: runs one scenario by name, or every scenario in turn.
 * publish-burst and refresh-sweep need DATABASE_URL (PostgreSQL); without it, a run of every
 * scenario skips them.
 */
const SCENARIOS = ['api-read', 'keep-alive-sweep', 'publish-burst', 'refresh-sweep', 'footprint'] as const;
type Scenario = (typeof SCENARIOS)[number];
const NEEDS_POSTGRES = new Set<Scenario>(['publish-burst', 'refresh-sweep']);

const [first, ...rest] = process.argv.slice(2);
const named = SCENARIOS.find((scenario) => scenario === first);
if (first && !first.startsWith('-') && !named) {
  console.error(`unknown scenario "${first}"; expected one of: ${SCENARIOS.join(', ')}`);
  process.exit(1);
}
const options = named ? rest : process.argv.slice(2);

function run(scenario: Scenario): number {
  const script = path.join(import.meta.dirname, `${scenario}.ts`);
  return spawnSync(process.execPath, [script, ...options], { stdio: 'inherit' }).status ?? 1;
}

if (named) process.exit(run(named));
let status = 0;
for (const scenario of SCENARIOS) {
  if (NEEDS_POSTGRES.has(scenario) && !process.env.DATABASE_URL) {
    console.error(`${scenario} skipped: set DATABASE_URL to a PostgreSQL server (see docs/benchmarks.md)`);
    continue;
  }
  status ||= run(scenario);
}
process.exit(status);
