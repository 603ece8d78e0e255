import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';

const IMG = `data:image/png;base64,${readFileSync(new URL('../fixtures/frame.png', import.meta.url)).toString('base64')}`;
const VOICE = readFileSync(new URL('../fixtures/voice.mp3', import.meta.url));

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

async function upload(purpose: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const form = new FormData();
  form.set('purpose', purpose);
  form.set('file', new Blob([VOICE], { type: 'audio/mpeg' }), 'voice.mp3');
  const res = await fetch(`${sim.url}/v1/files/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.apiKey}` },
    body: form,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const create = (audioUrl: string) =>
  fetch(`${sim.url}/v2/video_generation`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'MiniMax-H3',
      content: [
        { type: 'text', text: 'she sings' },
        { type: 'image_url', image_url: { url: IMG }, role: 'reference_image' },
        { type: 'audio_url', audio_url: { url: audioUrl }, role: 'reference_audio' },
      ],
      resolution: '768P',
      duration: 6,
    }),
  });

/** Issue #13: reference clips go through MiniMax's file upload and come back as mm_file ids. */
describe('MiniMax simulator, file uploads for MiniMax-H3 references', () => {
  it('stores a multipart upload and answers with a numeric file id', async () => {
    sim = await createSimulator();
    const { status, json } = await upload('prompt_audio');
    expect(status).toBe(200);
    const file = json.file as { file_id: number; bytes: number; purpose: string; filename: string };
    expect(typeof file.file_id).toBe('number');
    expect(file).toMatchObject({
      bytes: VOICE.length,
      purpose: 'prompt_audio',
      filename: 'voice.mp3',
    });
    expect(sim.uploads()).toMatchObject([{ fileId: String(file.file_id), mime: 'audio/mpeg' }]);
  });

  it('refuses an unknown purpose with base_resp 2013', async () => {
    sim = await createSimulator();
    const { json } = await upload('pictures');
    expect((json.base_resp as { status_code: number }).status_code).toBe(2013);
    expect(sim.uploads()).toHaveLength(0);
  });

  it('takes an mm_file reference to an uploaded voice, refuses one that names nothing', async () => {
    sim = await createSimulator();
    const id = ((await upload('prompt_audio')).json.file as { file_id: number }).file_id;
    expect((await create(`mm_file://${id}`)).status).toBe(200);
    const missing = await create('mm_file://999');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toContain('file 999 does not exist');
    // Only the first became a task.
    expect(sim.tasks.size).toBe(1);
  });
});
