/** Entry point of the stand-alone MiniMax simulator (SPEC §1.6). */

export { runSimulatorCommand } from './cli-entry.js';
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
export { createSimulator } from './simulator.js';
