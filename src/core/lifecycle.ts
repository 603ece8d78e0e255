/** Anything that starts work: adapters, the engine, the HTTP server. */
export interface Startable {
  start(): Promise<void>;
  /** Stops taking new work, finishes in-flight writes, releases sockets and timers. */
  stop(): Promise<void>;
}
