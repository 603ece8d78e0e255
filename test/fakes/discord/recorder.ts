/** One file part of a multipart request, summarised (bytes kept for content checks). */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  bytes: Buffer;
}

/** One HTTP request the fake received (REST under /api/v10, or the CDN). */
export interface RecordedRequest {
  seq: number;
  at: number;
  method: string;
  /** Decoded path without the `/api/v10` prefix (`/webhooks/1/tok/messages/@original`). */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** JSON body, or the parsed `payload_json` part of a multipart body. */
  body?: unknown;
  files: RecordedFile[];
  /** Status the fake answered with. */
  status: number;
  /** Set when the answer came from an injected fault. */
  fault?: boolean;
  /** Discord error code of the answer, when it was an error. */
  errorCode?: number;
}

export interface RecordedFrame {
  at: number;
  direction: 'in' | 'out';
  op: number;
  t?: string;
  d?: unknown;
}

type Waiter = { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void };

/** Keeps every request and gateway frame so tests can assert on the wire. */
export class Recorder {
  readonly requests: RecordedRequest[] = [];
  readonly frames: RecordedFrame[] = [];
  private waiters: Waiter[] = [];

  addRequest(r: Omit<RecordedRequest, 'seq'>): RecordedRequest {
    const rec = { ...r, seq: this.requests.length + 1 };
    this.requests.push(rec);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(rec)) return true;
      w.resolve(rec);
      return false;
    });
    return rec;
  }

  addFrame(f: RecordedFrame): void {
    this.frames.push(f);
  }

  /** Requests matching the method and a path pattern, oldest first. */
  find(method: string, path: RegExp | string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && matchPath(path, r.path));
  }

  /** Resolves with the first request (already seen or future) that matches; rejects after timeoutMs. */
  waitFor(match: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching Discord request within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      const waiter: Waiter = {
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      this.waiters.push(waiter);
    });
  }

  waitForRequest(method: string, path: RegExp | string, timeoutMs?: number) {
    return this.waitFor((r) => r.method === method && matchPath(path, r.path), timeoutMs);
  }
}

function matchPath(pattern: RegExp | string, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path);
}
