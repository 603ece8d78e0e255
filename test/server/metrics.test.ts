import { pino } from 'pino';
import { register as globalRegistry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobState } from '../../src/core/jobs/job.js';
import type { ProgressEvent, ProgressListener } from '../../src/core/progress.js';
import { bindMetrics } from '../../src/server/bind-metrics.js';
import { createHttpServer, type HttpServer } from '../../src/server/http-server.js';
import { codeLabel, createMetrics, endpointLabel } from '../../src/server/metrics.js';
import { createMetricsRoute } from '../../src/server/metrics-route.js';

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** The one port bindMetrics needs: a progress stream we can push events into. */
function progressStream() {
  const listeners = new Set<ProgressListener>();
  return {
    onProgress(l: ProgressListener) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit(e: ProgressEvent) {
      for (const l of listeners) l(e);
    },
    get size() {
      return listeners.size;
    },
  };
}

function job(patch: Partial<Job>): Job {
  return {
    id: 'job1',
    state: 'queued',
    request: {
      mode: 't2v',
      model: 'MiniMax-Hailuo-2.3',
      prompt: 'secret prompt',
      duration: 6,
      resolution: '768P',
      promptOptimizer: true,
      watermark: false,
      imageSlots: [],
    },
    origin: { platform: 'slack', userId: 'U1', channelId: 'C1', ref: {} },
    createdAt: 1_000,
    updatedAt: 1_000,
    pollCount: 0,
    createAttempts: 0,
    ...patch,
  };
}

function step(from: JobState | undefined, state: JobState, at: number, patch: Partial<Job> = {}) {
  const j = job({ state, updatedAt: at, ...patch });
  return {
    jobId: j.id,
    job: j,
    kind: 'state',
    from,
    state,
    elapsedMs: at - 1_000,
    at,
  } as ProgressEvent;
}

async function value(metrics: ReturnType<typeof createMetrics>, name: string) {
  const m = await metrics.registry.getSingleMetric(name)?.get();
  return m?.values ?? [];
}

describe('createMetrics', () => {
  it('uses its own registry so two instances never collide and the global one stays empty', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.recordCallback('hint');
    expect((await value(a, 'videobot_minimax_callbacks_total'))[0]?.value).toBe(1);
    expect(await value(b, 'videobot_minimax_callbacks_total')).toEqual([]);
    expect(globalRegistry.getMetricsAsArray()).toEqual([]);
  });

  it('records MiniMax latency, status and error codes from the client hook', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.recordMinimaxCall({ endpoint: 'query', ms: 120, httpStatus: 200, code: 0, ok: true });
    metrics.recordMinimaxCall({
      endpoint: 'create',
      ms: 80,
      httpStatus: 200,
      code: 1002,
      ok: false,
    });
    metrics.recordMinimaxCall({ endpoint: 'create', ms: 30_000, ok: false, code: 'timeout' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('minimax_requests_total{endpoint="query",http_status="200",code="0"} 1');
    expect(text).toContain('minimax_errors_total{endpoint="create",code="1002"} 1');
    expect(text).toContain('minimax_errors_total{endpoint="create",code="timeout"} 1');
    expect(text).toContain(
      'minimax_request_duration_seconds_count{endpoint="query",outcome="ok"} 1',
    );
  });

  it('keeps label values short and free of query strings', () => {
    expect(endpointLabel('/v1/query/video_generation?task_id=123')).toBe('query');
    expect(endpointLabel('/v1/files/retrieve?GroupId=1&file_id=2')).toBe('retrieve');
    expect(endpointLabel('https://cdn.example/x.mp4?token=abc')).toBe('other');
    expect(codeLabel('Bearer sk-abc def')).toBe('other');
    expect(codeLabel(undefined)).toBe('none');
  });
});

describe('bindMetrics', () => {
  it('tracks jobs by state, queue wait, polls per task and deliveries from progress events', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const stream = progressStream();
    bindMetrics({ service: stream, metrics });

    stream.emit(step(undefined, 'queued', 1_000));
    stream.emit(step('queued', 'submitting', 4_000, { submittedAt: 4_000 }));
    stream.emit(step('submitting', 'generating', 5_000, { submittedAt: 4_000, taskId: 't1' }));
    let text = await metrics.registry.metrics();
    expect(text).toContain('videobot_jobs{state="generating"} 1');
    expect(text).toContain('videobot_jobs{state="queued"} 0');
    expect(text).toContain('videobot_queue_wait_seconds_sum 3');

    const finished = { submittedAt: 4_000, taskId: 't1', pollCount: 4, finishedAt: 95_000 };
    stream.emit(step('generating', 'downloading', 64_000, finished));
    stream.emit(step('downloading', 'uploading', 70_000, finished));
    stream.emit(step('uploading', 'done', 95_000, finished));
    text = await metrics.registry.metrics();
    expect(text).toContain('videobot_jobs{state="uploading"} 0');
    expect(text).toContain('videobot_jobs_finished_total{state="done"} 1');
    expect(text).toContain('videobot_polls_per_task_sum 4');
    expect(text).toContain('videobot_deliveries_total{platform="slack",outcome="delivered"} 1');
    expect(text).toContain(
      'videobot_generation_seconds_sum{model="MiniMax-Hailuo-2.3",resolution="768P",duration="6"} 60',
    );
    expect(text).toContain('videobot_job_duration_seconds_sum{state="done"} 94');
    expect(text).not.toContain('secret prompt');
  });

  it('counts a requeued job’s queue wait once and a failure by its code', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const stream = progressStream();
    bindMetrics({ service: stream, metrics });
    stream.emit(step('queued', 'submitting', 2_000, { submittedAt: 2_000 }));
    stream.emit(step('submitting', 'queued', 2_500, { submittedAt: 2_000, createAttempts: 1 }));
    stream.emit(step('queued', 'submitting', 9_000, { submittedAt: 2_000, createAttempts: 1 }));
    stream.emit(
      step('submitting', 'failed', 9_500, { error: { code: 'balance', userMessage: 'x' } }),
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain('videobot_queue_wait_seconds_count 1');
    expect(text).toContain('videobot_job_failures_total{code="balance"} 1');
    expect(text).toContain('videobot_jobs{state="submitting"} 0');
  });

  it('stops listening when unbound', () => {
    const stream = progressStream();
    const unbind = bindMetrics({
      service: stream,
      metrics: createMetrics({ defaultMetrics: false }),
    });
    expect(stream.size).toBe(1);
    unbind();
    expect(stream.size).toBe(0);
  });
});

describe('GET /metrics', () => {
  it('serves the registry in the Prometheus text format, with process metrics', async () => {
    const metrics = createMetrics();
    server = createHttpServer({
      config: { PORT: 0 },
      logger: pino({ level: 'silent' }),
      routes: [createMetricsRoute(metrics)],
      readiness: () => true,
      host: '127.0.0.1',
      onResponse: metrics.recordHttpResponse,
    });
    await server.start();
    await (await fetch(`${server.url}/healthz`)).text();
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain(
      'videobot_http_responses_total{route="/healthz",method="GET",status="200"} 1',
    );
  });
});
