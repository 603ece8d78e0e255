/** Entry point of the stand-alone MiniMax simulator (SPEC §1.6). */
export { createSimulator } from './simulator.js';
export type {
  Fault,
  RecordedRequest,
  SimRoute,
  SimStatus,
  SimTask,
  Simulator,
  SimulatorOptions,
  TimelineMs,
} from './sim-types.js';
export { runSimulatorCommand } from './cli-entry.js';
