import type { Simulator } from '../../src/simulator/index.js';

/** Raw HTTP helpers for simulator tests (no client code, so the simulator is tested on its own). */
export interface RawAnswer {
  status: number;
  traceId: string | null;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test helper reads arbitrary JSON
  json: any;
}

async function answer(res: Response): Promise<RawAnswer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, traceId: res.headers.get('trace-id'), text, json };
}

export function authHeaders(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
}

export async function create(sim: Simulator, body: unknown, key = sim.apiKey): Promise<RawAnswer> {
  const res = await fetch(`${sim.url}/v1/video_generation`, {
    method: 'POST',
    headers: authHeaders(key),
    body: JSON.stringify(body),
  });
  return answer(res);
}

export async function query(sim: Simulator, taskId: string, key = sim.apiKey): Promise<RawAnswer> {
  const res = await fetch(`${sim.url}/v1/query/video_generation?task_id=${taskId}`, {
    headers: authHeaders(key),
  });
  return answer(res);
}

export async function retrieve(sim: Simulator, fileId: string): Promise<RawAnswer> {
  const res = await fetch(`${sim.url}/v1/files/retrieve?file_id=${fileId}`, {
    headers: authHeaders(sim.apiKey),
  });
  return answer(res);
}

/** Creates a task, finishes it at once and returns its query answer. */
export async function finishedTask(sim: Simulator, body: unknown): Promise<RawAnswer> {
  const created = await create(sim, body);
  sim.finish(created.json.task_id);
  return query(sim, created.json.task_id);
}

export function downloadUrlOf(retrieved: RawAnswer): string {
  return retrieved.json.file.download_url as string;
}
