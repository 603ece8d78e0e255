import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { create, downloadUrlOf, finishedTask, retrieve } from './sim-http.js';

const T2V = { model: 'MiniMax-Hailuo-2.3', prompt: 'a cat surfing' };
const sample = new URL('../../assets/sample.mp4', import.meta.url);

let sim: Simulator;
let receiver: Server | undefined;
afterEach(async () => {
  await sim?.stop();
  if (receiver) await new Promise((r) => receiver!.close(r));
  receiver = undefined;
});

async function downloadUrl(s: Simulator): Promise<string> {
  const done = await finishedTask(s, T2V);
  return downloadUrlOf(await retrieve(s, done.json.file_id));
}

describe('MiniMax simulator downloads', () => {
  it('serves the sample MP4 at the download URL', async () => {
    sim = await createSimulator();
    const res = await fetch(await downloadUrl(sim));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(await readFile(sample));
  });

  it('answers 403 with an XML body once the URL has expired', async () => {
    let now = 5_000;
    sim = await createSimulator({ now: () => now, downloadUrlTtlMs: 1_000 });
    const url = await downloadUrl(sim);
    now += 1_001;
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('answers 403 for a tampered signature', async () => {
    sim = await createSimulator();
    const res = await fetch((await downloadUrl(sim)).replace(/Signature=\w/, 'Signature=z'));
    expect(res.status).toBe(403);
    await res.text();
  });

  it('hands out an already-expired URL on an expired_url retrieve fault', async () => {
    sim = await createSimulator();
    const done = await finishedTask(sim, T2V);
    sim.inject({ route: 'retrieve', kind: 'expired_url' });
    const res = await fetch(downloadUrlOf(await retrieve(sim, done.json.file_id)));
    expect(res.status).toBe(403);
    await res.text();
  });

  it('cuts a download halfway on truncate', async () => {
    sim = await createSimulator();
    const url = await downloadUrl(sim);
    sim.inject({ route: 'download', kind: 'truncate' });
    await expect(fetch(url).then((r) => r.arrayBuffer())).rejects.toThrow();
  });

  it('streams a synthetic MP4 of the requested size with an ftyp box first', async () => {
    const size = 3 * 1024 * 1024 + 7;
    sim = await createSimulator({ videoBytes: size });
    const bytes = Buffer.from(await (await fetch(await downloadUrl(sim))).arrayBuffer());
    expect(bytes.length).toBe(size);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const ftypSize = bytes.readUInt32BE(0);
    expect(bytes.subarray(ftypSize + 4, ftypSize + 8).toString('latin1')).toBe('mdat');
    expect(ftypSize + bytes.readUInt32BE(ftypSize)).toBe(size);
  });
});

describe('MiniMax simulator callbacks', () => {
  async function startReceiver(echo: boolean) {
    const bodies: Record<string, unknown>[] = [];
    receiver = createServer(async (req, res) => {
      let text = '';
      for await (const c of req) text += c;
      const body = JSON.parse(text) as Record<string, unknown>;
      bodies.push(body);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(echo && 'challenge' in body ? { challenge: body.challenge } : {}));
    });
    await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`;
    return { bodies, url };
  }

  /** Fails the test when `check` does not hold within 2 s. */
  async function waitFor(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('condition not met within 2 s');
  }

  it('sends the challenge first, then each status change in lower case', async () => {
    sim = await createSimulator({ timelineMs: { preparing: 0, queueing: 0, processing: 60_000 } });
    const { bodies, url } = await startReceiver(true);
    const { json } = await create(sim, { ...T2V, callback_url: url });
    await waitFor(() => bodies.some((b) => b.status === 'processing'));
    sim.finish(json.task_id);
    await waitFor(() => bodies.some((b) => b.status === 'success'));
    expect(typeof bodies[0]!.challenge).toBe('string');
    expect(bodies.slice(1).map((b) => b.status)).toEqual(['processing', 'success']);
    const last = bodies.at(-1)!;
    expect(last.task_id).toBe(json.task_id);
    expect(last.file_id).toMatch(/^\d{15}$/);
    expect(last.base_resp).toEqual({ status_code: 0, status_msg: 'success' });
  });

  it('reports a failed task as failed', async () => {
    sim = await createSimulator({ timelineMs: { preparing: 10, queueing: 10, processing: 10 } });
    const { bodies, url } = await startReceiver(true);
    await create(sim, { ...T2V, prompt: '[[fail]]', callback_url: url });
    await waitFor(() => bodies.some((b) => b.status === 'failed'));
    expect(bodies.at(-1)!.status).toBe('failed');
  });

  it('sends no status updates when the challenge is not echoed', async () => {
    sim = await createSimulator({ timelineMs: { preparing: 0, queueing: 0, processing: 0 } });
    const { bodies, url } = await startReceiver(false);
    const { json } = await create(sim, { ...T2V, callback_url: url });
    await waitFor(() => bodies.length > 0);
    sim.finish(json.task_id);
    await new Promise((r) => setTimeout(r, 50));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toHaveProperty('challenge');
  });
});
