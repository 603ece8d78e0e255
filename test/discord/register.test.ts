import { afterEach, describe, expect, it } from 'vitest';
import { CAMERA_COMMANDS } from '../../src/core/camera.js';
import { commandDefinitions } from '../../src/discord/commands.js';
import { registerCommands } from '../../src/discord/register.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { useOpenApiValidator } from './discord-harness.js';

type Option = {
  name: string;
  type: number;
  description_localizations?: Record<string, string>;
  file_types?: string[];
  choices?: { name: string; value: string | number; name_localizations?: Record<string, string> }[];
};

describe('command registration', () => {
  const contract = useOpenApiValidator();
  let fake: FakeDiscord | undefined;

  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  const video = () =>
    commandDefinitions().find((c) => c.name === 'video') as unknown as {
      options: Option[];
      description_localizations: Record<string, string>;
    };

  it('offers every /video option with a Simplified Chinese description', () => {
    const cmd = video();
    expect(cmd.options.map((o) => o.name)).toEqual([
      'prompt',
      'image',
      'last_frame',
      'subject',
      'model',
      'duration',
      'resolution',
      'camera',
      'prompt_optimizer',
      'watermark',
      'ratio',
      'enhance',
      'reference_1',
      'reference_2',
      'reference_3',
      'reference_4',
    ]);
    expect(cmd.description_localizations['zh-CN']).toBeTruthy();
    for (const o of cmd.options) expect(o.description_localizations?.['zh-CN']).toBeTruthy();
  });

  it('limits the frame options to image files, the MiniMax-H3 references to images, clips and voices', () => {
    const attachments = video().options.filter((o) => o.type === 11);
    expect(attachments).toHaveLength(7);
    for (const a of attachments.slice(0, 3))
      expect(a.file_types).toEqual(['.jpg', '.jpeg', '.png', '.webp']);
    for (const a of attachments.slice(3))
      expect(a.file_types).toEqual([
        '.jpg',
        '.jpeg',
        '.png',
        '.webp',
        '.mp4',
        '.mov',
        '.mp3',
        '.wav',
      ]);
  });

  it('offers the 15 camera commands as choices with Chinese names', () => {
    const camera = video().options.find((o) => o.name === 'camera')!;
    expect(camera.choices!.map((c) => c.value)).toEqual([...CAMERA_COMMANDS]);
    expect(camera.choices!.find((c) => c.value === 'Pan left')!.name_localizations).toEqual({
      'zh-CN': '左摇',
    });
  });

  it('registers every command to a guild through the REST API', async () => {
    fake = await startFakeDiscord(contract());
    const result = await registerCommands({
      token: fake.token,
      applicationId: fake.applicationId,
      guildId: fake.guildId,
      apiUrl: fake.apiUrl,
    });
    expect(result).toEqual({
      scope: 'guild',
      names: ['video', 'Animate this image', 'video-status', 'video-admin', 'video-dashboard'],
    });
    const put = fake.recorder.find('PUT', /\/commands$/)[0]!;
    expect(put.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect((put.body as { type: number }[]).map((c) => c.type)).toEqual([1, 3, 1, 1, 1]);
    expect(fake.contractFailures).toEqual([]);
  });

  it('registers globally when no guild is given', async () => {
    fake = await startFakeDiscord(contract());
    const result = await registerCommands({
      token: fake.token,
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
    });
    expect(result.scope).toBe('global');
    expect(fake.recorder.find('PUT', `/applications/${fake.applicationId}/commands`)).toHaveLength(
      1,
    );
    expect(fake.contractFailures).toEqual([]);
  });
});
