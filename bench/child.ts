import { scenarios } from './scenarios/registry.js';

/** Runs one scenario in this process and sends its result to the parent (bench/index.ts). */
const id = process.argv[2];
const scenario = scenarios.find((s) => s.id === id);
if (!scenario) {
  console.error(`unknown scenario ${id}`);
  process.exit(2);
}
try {
  const result = await scenario.run();
  process.send?.({ ok: true, result }, () => process.exit(0));
} catch (err) {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.send?.({ ok: false, error: message }, () => process.exit(1));
}
