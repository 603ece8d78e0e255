import type { Clock } from '../clock.js';
import { BotError } from '../errors.js';
import type { Job } from '../jobs/job.js';
import type { JobStore } from '../jobs/job-store.js';

/** Platforms retry within minutes; a day covers every redelivery and double click. */
export const DEDUPE_TTL_MS = 24 * 3_600_000;
/** How long a duplicate waits for the first delivery to store its job. */
const CLAIM_WAIT_MS = 5_000;
const CLAIM_STEP_MS = 100;
/** Mapping value when the first attempt was refused, so a redelivery re-runs the checks. */
const REFUSED = '!refused';

/**
 * One platform event makes one job: the first submit with a key claims it (store.remember, which
 * works across instances) and stores key → job id; later ones return that job.
 */
export class Dedupe {
  private readonly inflight = new Map<string, Promise<Job>>();

  constructor(
    private readonly options: {
      store: JobStore;
      clock: Clock;
      load: (jobId: string) => Promise<Job | undefined>;
    },
  ) {}

  run(key: string | undefined, make: () => Promise<Job>): Promise<Job> {
    if (!key) return make();
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const promise = this.once(key, make).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  private async once(key: string, make: () => Promise<Job>): Promise<Job> {
    const { store } = this.options;
    const mapKey = `dedupe:job:${key}`;
    const known = await this.lookup(mapKey);
    if (known) return known;
    const mapped = await store.getValue<string>(mapKey);
    const isFirst =
      mapped === REFUSED || (await store.remember(`dedupe:claim:${key}`, DEDUPE_TTL_MS));
    if (!isFirst) return this.waitForFirst(mapKey);
    try {
      const job = await make();
      await store.setValue(mapKey, job.id, DEDUPE_TTL_MS);
      return job;
    } catch (err) {
      await store.setValue(mapKey, REFUSED, DEDUPE_TTL_MS);
      throw err;
    }
  }

  private async lookup(mapKey: string): Promise<Job | undefined> {
    const jobId = await this.options.store.getValue<string>(mapKey);
    if (!jobId || jobId === REFUSED) return undefined;
    return this.options.load(jobId);
  }

  /** Another instance (or an earlier process) claimed the key and is still storing its job. */
  private async waitForFirst(mapKey: string): Promise<Job> {
    for (let waited = 0; waited < CLAIM_WAIT_MS; waited += CLAIM_STEP_MS) {
      await this.options.clock.sleep(CLAIM_STEP_MS);
      const job = await this.lookup(mapKey);
      if (job) return job;
      if ((await this.options.store.getValue<string>(mapKey)) === REFUSED) break;
    }
    throw new BotError({
      code: 'duplicate_request',
    });
  }
}
