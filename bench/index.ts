import { fork } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { renderReport, type ScenarioResult } from './lib/report.js';
import { type Scenario, scenarios } from './scenarios/registry.js';

/**
 * `npm run bench`: runs every scenario of issue #7 against the MiniMax simulator, each in a fresh
 * process, and prints one report with the baselines measured in the same run and each target met
 * or its shortfall. `--only=polling,ack` picks scenarios; `--readme` rewrites the README section.
 */
const args = process.argv.slice(2);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const writeReadme = args.includes('--readme');
const selected = scenarios.filter((s) => !only || only.includes(s.id));

const started = performance.now();
const results: ScenarioResult[] = [];
for (const scenario of selected) {
  process.stderr.write(`bench: running ${scenario.id}…\n`);
  results.push(await runInChild(scenario));
}
const totalS = (performance.now() - started) / 1000;
const env = `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${availableParallelism()} CPU (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB RAM; bench took ${totalS.toFixed(0)} s`;
const report = renderReport(results, env);
process.stdout.write(`\n${report}\n`);

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
await mkdir(resultsDir, { recursive: true });
await writeFile(`${resultsDir}latest.md`, report);
await writeFile(`${resultsDir}latest.json`, JSON.stringify({ env, results }, null, 2));
if (writeReadme) await updateReadme(report);
const failed = results.flatMap((r) => r.checks).filter((c) => !c.met).length;
process.stderr.write(
  failed ? `bench: ${failed} target(s) not met (see above)\n` : 'bench: all targets met\n',
);

function runInChild(scenario: Scenario): Promise<ScenarioResult> {
  const begin = performance.now();
  const fail = (why: string): ScenarioResult => ({
    id: scenario.id,
    title: scenario.title,
    head: ['result'],
    rows: [[`did not complete: ${why}`]],
    checks: [{ target: scenario.title, measured: 'no result', met: false, shortfall: why }],
    notes: [],
    wallSeconds: (performance.now() - begin) / 1000,
  });
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(new URL('./child.ts', import.meta.url)), [scenario.id], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const finish = (r: ScenarioResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(fail(`exceeded its ${scenario.budgetS} s budget`));
    }, scenario.budgetS * 1000);
    child.on('message', (msg: { ok: boolean; result?: ScenarioResult; error?: string }) => {
      if (msg.ok && msg.result)
        finish({ ...msg.result, wallSeconds: (performance.now() - begin) / 1000 });
      else finish(fail(msg.error?.split('\n')[0] ?? 'unknown error'));
      if (msg.error) process.stderr.write(`${msg.error}\n`);
    });
    child.on('exit', (code) => finish(fail(`exited with code ${code}`)));
  });
}

async function updateReadme(report: string): Promise<void> {
  const path = fileURLToPath(new URL('../README.md', import.meta.url));
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const readme = await readFile(path, 'utf8').catch(() => '');
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i === -1 || j < i) {
    process.stderr.write(`bench: README.md has no ${start}…${end} markers; not updated\n`);
    return;
  }
  await writeFile(path, `${readme.slice(0, i + start.length)}\n${report}\n${readme.slice(j)}`);
  process.stderr.write('bench: README.md updated\n');
}
