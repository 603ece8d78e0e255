import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator/index.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackHarness, sampleMp4 } from './slack-harness.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Slack adapter under faults', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  async function harness(opts: Parameters<typeof SlackHarness.create>[0]) {
    const h = await SlackHarness.create(opts);
    cleanups.push(() => h.close());
    return h;
  }

  it('waits out a ratelimited answer (429 with Retry-After) and still posts one status message', async () => {
    const h = await harness({ mode: 'socket' });
    h.fake.fail('chat.postMessage', { status: 429, retryAfterSec: 1, error: 'ratelimited' });
    await h.fake.slashCommand({ text: 'a slow day' });
    const job = await h.waitForState(['done', 'failed']);
    expect(job.state).toBe('done');
    const posts = h.fake.recorder.of('chat.postMessage', { all: true });
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(990);
    const ts = (posts[1]!.reply as { ts: string }).ts;
    await h.fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && String(a.text).includes('Done'),
    );
  });

  it('holds status edits through a rate limit on chat.update and shows the final state afterwards', async () => {
    const h = await harness({ mode: 'socket' });
    h.fake.fail('chat.update', { status: 429, retryAfterSec: 1, error: 'ratelimited' });
    await h.fake.slashCommand({ text: 'a rate-limited render' });
    await h.waitForState(['done']);
    const post = await h.fake.recorder.waitForCall('chat.postMessage');
    const ts = (post.reply as { ts: string }).ts;
    const final = await h.fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && String(a.text).includes('Done'),
    );
    const limited = h.fake.recorder.of('chat.update', { all: true }).find((c) => c.status === 429)!;
    expect(final.at - limited.at).toBeGreaterThanOrEqual(990);
    // Nothing was sent during the pause.
    const during = h.fake.recorder
      .of('chat.update', { all: true })
      .filter((c) => c.at > limited.at && c.at < limited.at + 990);
    expect(during).toHaveLength(0);
  });

  it('retries an upload the file host answered with 5xx and posts the video once', async () => {
    const h = await harness({ mode: 'socket' });
    h.fake.fail('upload', { status: 503 });
    await h.fake.slashCommand({ text: 'a flaky upload' });
    const job = await h.waitForState(['done', 'failed']);
    expect(job.state).toBe('done');
    expect(h.fake.recorder.of('upload', { all: true }).map((c) => c.status)).toEqual([503, 200]);
    const completes = h.fake.recorder.of('files.completeUploadExternal');
    expect(completes).toHaveLength(1);
    const fileId = (completes[0]!.args.files as { id: string }[])[0]!.id;
    expect(sha(h.fake.state.files.get(fileId)!.bytes)).toBe(sha(await sampleMp4()));
  });

  it('makes one job when the same Socket Mode envelope arrives twice', async () => {
    const h = await harness({ mode: 'socket' });
    const mention = {
      text: '<@U0BOT> fireworks',
      ts: '1700000700.000100',
      eventId: 'EvDup',
      envelopeId: 'env-dup',
    };
    await h.fake.appMention(mention);
    await h.fake.appMention({ ...mention, retryNum: 1 });
    await h.waitForState(['done']);
    expect(h.sim.creates()).toHaveLength(1);
    expect(h.fake.recorder.of('chat.postMessage')).toHaveLength(1);
  });

  it('keeps updating the same status message after a restart mid-generation', async () => {
    const fake = await FakeSlack.start();
    const sim = await createSimulator({
      apiKey: 'sim-slack-key',
      timelineMs: { preparing: 20, queueing: 20, processing: 1_200 },
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'slack-restart-'));
    cleanups.push(
      () => rm(dataDir, { recursive: true, force: true }),
      () => sim.stop(),
      () => fake.close(),
    );
    const shared = {
      mode: 'socket' as const,
      fake,
      sim,
      dataDir,
      storeUrl: `sqlite://${dataDir}/bot.sqlite`,
    };

    const first = await SlackHarness.create(shared);
    await fake.slashCommand({ text: 'survives a deploy' });
    const generating = await first.waitForState(['generating']);
    const post = await fake.recorder.waitForCall('chat.postMessage');
    const ts = (post.reply as { ts: string }).ts;
    await first.close();

    const second = await harness(shared);
    const done = await second.waitForState(['done', 'failed'], generating.id);
    expect(done.state).toBe('done');
    await fake.recorder.waitForCall(
      'chat.update',
      (a) => a.ts === ts && String(a.text).includes('Done'),
    );
    expect(fake.recorder.of('chat.postMessage')).toHaveLength(1);
    expect(fake.recorder.of('files.completeUploadExternal')).toHaveLength(1);
    expect(sim.creates()).toHaveLength(1);
  });

  it('makes no second job when Slack redelivers a mention to the restarted bot', async () => {
    const fake = await FakeSlack.start();
    const sim = await createSimulator({
      apiKey: 'sim-slack-key',
      timelineMs: { preparing: 5, queueing: 5, processing: 20 },
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'slack-redeliver-'));
    cleanups.push(
      () => rm(dataDir, { recursive: true, force: true }),
      () => sim.stop(),
      () => fake.close(),
    );
    const shared = {
      mode: 'http' as const,
      fake,
      sim,
      dataDir,
      storeUrl: `sqlite://${dataDir}/bot.sqlite`,
    };
    const mention = { text: '<@U0BOT> a comet', ts: '1700000800.000100', eventId: 'EvRestart' };

    const first = await SlackHarness.create(shared);
    await fake.appMention(mention);
    await first.waitForState(['done']);
    await first.close();

    const second = await harness(shared);
    const ack = await fake.appMention({ ...mention, retryNum: 2, retryReason: 'http_error' });
    expect(ack.status).toBe(200);
    // The redelivery posts a draft status message, learns from the dedupe that the job exists
    // (and is done), and removes the draft again.
    const drafts = () => fake.recorder.of('chat.postMessage');
    await fake.recorder.waitFor(() => drafts().length === 2);
    const draftTs = (drafts()[1]!.reply as { ts: string }).ts;
    await fake.recorder.waitForCall('chat.delete', (a) => a.ts === draftTs);
    expect(second.events).toHaveLength(0);
    expect(sim.creates()).toHaveLength(1);
    expect(fake.state.message('C0CHANNEL', draftTs)).toBeUndefined();
    const firstTs = (drafts()[0]!.reply as { ts: string }).ts;
    expect(fake.state.message('C0CHANNEL', firstTs)).toBeDefined();
  });
});
