import type { Logger } from 'pino';
import type { JobStore } from '../core/jobs/job-store.js';
import { createKeyvJobStore } from '../core/jobs/keyv-job-store.js';
import { type StoreLocation, storeLocationOf } from './store-location.js';

export interface OpenJobStoreOptions {
  /** Key prefix shared by every instance of one bot. Default `mvb`. */
  namespace?: string;
  logger?: Logger;
}

/**
 * Opens the job store at `location` (a STORE_URL or its parsed form). The one place that names
 * the store implementation, so replacing it is a one-line change here.
 */
export async function openJobStore(
  location: StoreLocation | string,
  options: OpenJobStoreOptions = {},
): Promise<JobStore> {
  const where = typeof location === 'string' ? storeLocationOf(location) : location;
  return createKeyvJobStore(where, options);
}
