import { createSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

/** Child side of sim-process.ts: one simulator, answering `counts` and `stop` over IPC. */
const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const sim = await createSimulator(options);
process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'counts') {
    const counts: Record<string, number> = {};
    for (const r of sim.requests) counts[r.route] = (counts[r.route] ?? 0) + 1;
    process.send?.({ type: 'counts', counts });
  } else if (msg.type === 'times') {
    const { route, since } = msg as unknown as { route: string; since: number };
    const times = sim.requests.filter((r) => r.route === route && r.at >= since).map((r) => r.at);
    process.send?.({ type: 'times', times });
  } else if (msg.type === 'stop') {
    await sim.stop();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', url: sim.url, apiKey: sim.apiKey });
