import type { Fault, SimRoute } from './sim-types.js';

interface Armed {
  fault: Fault;
  left: number;
}

/** Injected faults, consumed in order per route. */
export class FaultQueue {
  private armed: Armed[] = [];

  add(fault: Fault): void {
    const left = fault.times ?? 1;
    if (!(left > 0)) throw new RangeError('fault.times must be positive');
    if (fault.afterCreate && fault.route !== 'create')
      throw new RangeError('afterCreate only applies to create faults');
    this.armed.push({ fault, left });
  }

  clear(): void {
    this.armed = [];
  }

  /** Takes the first fault for the route; `afterCreate` picks from the after-create ones only. */
  take(route: SimRoute, afterCreate = false): Fault | undefined {
    const i = this.armed.findIndex(
      (a) => a.fault.route === route && Boolean(a.fault.afterCreate) === afterCreate,
    );
    if (i < 0) return undefined;
    const a = this.armed[i]!;
    a.left -= 1;
    if (a.left <= 0) this.armed.splice(i, 1);
    return a.fault;
  }
}
