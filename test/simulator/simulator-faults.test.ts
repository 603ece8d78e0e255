import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { create, query } from './sim-http.js';

const T2V = { model: 'MiniMax-Hailuo-2.3', prompt: 'a cat surfing' };

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

describe('MiniMax simulator faults', () => {
  it('answers an injected HTTP status once, then normally', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'http', status: 502 });
    const first = await create(sim, T2V);
    expect(first.status).toBe(502);
    expect(first.text).toContain('<html>');
    expect((await create(sim, T2V)).json.base_resp.status_code).toBe(0);
  });

  it('sends an injected object body as JSON', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'query', kind: 'http', status: 429, body: { error: 'slow down' } });
    const res = await query(sim, '1');
    expect(res.status).toBe(429);
    expect(res.json).toEqual({ error: 'slow down' });
  });

  it('answers an injected base_resp code with HTTP 200 and an empty task id', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'base_resp', code: 1008 });
    const res = await create(sim, T2V);
    expect(res.status).toBe(200);
    expect(res.json.base_resp.status_code).toBe(1008);
    expect(res.json.task_id).toBe('');
  });

  it('keeps a persistent fault until cleared', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'non_json', times: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 3; i++) expect((await create(sim, T2V)).json).toBeUndefined();
    sim.clearFaults();
    expect((await create(sim, T2V)).json.base_resp.status_code).toBe(0);
  });

  it('drops the connection without an answer', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'drop' });
    await expect(create(sim, T2V)).rejects.toThrow();
    expect(sim.tasks.size).toBe(0);
  });

  it('creates the task before losing the answer when afterCreate is set', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'drop', afterCreate: true });
    await expect(create(sim, T2V)).rejects.toThrow();
    expect(sim.tasks.size).toBe(1);
  });

  it('delays an answer and still answers it', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'delay', ms: 30 });
    const res = await create(sim, T2V);
    expect(res.json.base_resp.status_code).toBe(0);
  });

  it('cuts an API answer in half on truncate', async () => {
    sim = await createSimulator();
    const { json } = await create(sim, T2V);
    sim.inject({ route: 'query', kind: 'truncate' });
    await expect(query(sim, json.task_id)).rejects.toThrow();
  });

  it('refuses afterCreate on other routes', async () => {
    sim = await createSimulator();
    expect(() => sim.inject({ route: 'query', kind: 'drop', afterCreate: true })).toThrow(
      RangeError,
    );
  });
});
