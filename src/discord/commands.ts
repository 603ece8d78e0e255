import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  type RESTPostAPIApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from 'discord.js';
import { CAMERA_TABLE } from '../core/camera.js';
import { V2_MODELS } from '../core/h3-models.js';
import { MODELS, RESOLUTIONS } from '../core/models.js';
import { RATIOS } from '../core/request-types.js';

/** Every length a model takes: Hailuo 6 and 10, MiniMax-H3 4 to 15; the core refuses the rest per model. */
const H3_DURATIONS = Array.from({ length: 12 }, (_, i) => i + 4);

import { adminCommand } from './admin-command.js';
import { dashboardCommand } from './dashboard-command.js';
import { statusCommand } from './status-command.js';

export const VIDEO_COMMAND = 'video';
export const ANIMATE_COMMAND = 'Animate this image';

/** MiniMax takes JPG, PNG and WebP only, so the picker offers just those (Discord checks extensions). */
export const IMAGE_FILE_TYPES = ['.jpg', '.jpeg', '.png', '.webp'] as const;

/** MiniMax-H3 reference files on /video: an image, a video clip or a voice each. */
export const REFERENCE_OPTIONS = [
  'reference_1',
  'reference_2',
  'reference_3',
  'reference_4',
] as const;
export const MEDIA_FILE_TYPES = [...IMAGE_FILE_TYPES, '.mp4', '.mov', '.mp3', '.wav'] as const;

/** Option names of /video; the modal reuses the image ones as its field ids. */
export const OPTION = {
  prompt: 'prompt',
  image: 'image',
  lastFrame: 'last_frame',
  subject: 'subject',
  model: 'model',
  duration: 'duration',
  resolution: 'resolution',
  camera: 'camera',
  promptOptimizer: 'prompt_optimizer',
  watermark: 'watermark',
  ratio: 'ratio',
  enhance: 'enhance',
} as const;

const zh = (text: string) => ({ 'zh-CN': text }) as const;

/** `/video`: every option of SPEC §1.3, described in English and Simplified Chinese. */
export function videoCommand(): SlashCommandBuilder {
  const cmd = new SlashCommandBuilder()
    .setName(VIDEO_COMMAND)
    .setDescription('Make a short video from a prompt or images with MiniMax Hailuo')
    .setDescriptionLocalizations(zh('用 MiniMax 海螺根据提示词或图片生成短视频'));
  cmd.addStringOption((o) =>
    o
      .setName(OPTION.prompt)
      .setDescription('What should happen in the video (camera moves like [Pan left] work)')
      .setDescriptionLocalizations(zh('视频内容描述（可写镜头指令，如 [左摇]）'))
      .setMaxLength(2000),
  );
  const images: [string, string, string][] = [
    [OPTION.image, 'First frame: animate this picture', '首帧：让这张图片动起来'],
    [
      OPTION.lastFrame,
      'Last frame (with image: first-and-last-frame video)',
      '尾帧（与首帧一起使用）',
    ],
    [
      OPTION.subject,
      'Face photo to keep the same person in the video',
      '人物参考照片（保持人物一致）',
    ],
  ];
  for (const [name, en, cn] of images)
    cmd.addAttachmentOption((o) =>
      o
        .setName(name)
        .setDescription(en)
        .setDescriptionLocalizations(zh(cn))
        .setFileTypes(...IMAGE_FILE_TYPES),
    );
  cmd.addStringOption((o) =>
    o
      .setName(OPTION.model)
      .setDescription('Model (default depends on the inputs; MiniMax-H3 makes videos with sound)')
      .setDescriptionLocalizations(zh('模型（默认值取决于输入；MiniMax-H3 生成有声视频）'))
      .addChoices(...[...MODELS, ...V2_MODELS].map((m) => ({ name: m, value: m }))),
  );
  cmd.addIntegerOption((o) =>
    o
      .setName(OPTION.duration)
      .setDescription('Length in seconds (default 6; Hailuo 6 or 10, MiniMax-H3 4-15)')
      .setDescriptionLocalizations(zh('时长（秒，默认 6；海螺 6 或 10，MiniMax-H3 4-15）'))
      .addChoices(...H3_DURATIONS.map((d) => ({ name: `${d} s`, value: d }))),
  );
  cmd.addStringOption((o) =>
    o
      .setName(OPTION.resolution)
      .setDescription('Resolution (default 768P; 1080P allows 6 s only; 2K for MiniMax-H3)')
      .setDescriptionLocalizations(zh('分辨率（默认 768P；1080P 仅支持 6 秒；2K 仅限 MiniMax-H3）'))
      .addChoices(...[...RESOLUTIONS, '480P', '2K'].map((r) => ({ name: r, value: r }))),
  );
  cmd.addStringOption((o) =>
    o
      .setName(OPTION.camera)
      .setDescription('Camera movement added to the prompt')
      .setDescriptionLocalizations(zh('添加到提示词的镜头运动'))
      .addChoices(
        ...CAMERA_TABLE.map((c) => ({ name: c.en, value: c.en, name_localizations: zh(c.zh) })),
      ),
  );
  cmd.addBooleanOption((o) =>
    o
      .setName(OPTION.promptOptimizer)
      .setDescription('Let MiniMax rewrite the prompt for better results (default on)')
      .setDescriptionLocalizations(zh('让 MiniMax 优化提示词（默认开启）')),
  );
  cmd.addBooleanOption((o) =>
    o
      .setName(OPTION.watermark)
      .setDescription('Add an AI-generated watermark (default off)')
      .setDescriptionLocalizations(zh('添加 AI 生成水印（默认关闭）')),
  );
  cmd.addStringOption((o) =>
    o
      .setName(OPTION.ratio)
      .setDescription('MiniMax-H3: aspect ratio (default 16:9 for text alone)')
      .setDescriptionLocalizations(zh('MiniMax-H3：画面比例（纯文字默认 16:9）'))
      .addChoices(...RATIOS.map((r) => ({ name: r, value: r }))),
  );
  cmd.addBooleanOption((o) =>
    o
      .setName(OPTION.enhance)
      .setDescription("MiniMax-H3: rewrite the prompt with MiniMax's prompt enhancer first")
      .setDescriptionLocalizations(zh('MiniMax-H3：先用 MiniMax 提示词增强改写提示词')),
  );
  for (const [i, name] of REFERENCE_OPTIONS.entries())
    cmd.addAttachmentOption((o) =>
      o
        .setName(name)
        .setDescription(
          `MiniMax-H3 reference ${i + 1}: an image, a video clip (MP4/MOV) or a voice (MP3/WAV)`,
        )
        .setDescriptionLocalizations(
          zh(`MiniMax-H3 参考素材 ${i + 1}：图片、视频（MP4/MOV）或声音（MP3/WAV）`),
        )
        .setFileTypes(...MEDIA_FILE_TYPES),
    );
  return cmd;
}

/** Message context-menu command: animate the image(s) of any message (no Message Content intent needed). */
export function animateCommand(): ContextMenuCommandBuilder {
  return new ContextMenuCommandBuilder()
    .setName(ANIMATE_COMMAND)
    .setNameLocalizations(zh('让图片动起来'))
    .setType(ApplicationCommandType.Message);
}

/** The command bodies `register` PUTs to Discord. */
export function commandDefinitions(): RESTPostAPIApplicationCommandsJSONBody[] {
  return [
    videoCommand().toJSON(),
    animateCommand().toJSON(),
    statusCommand().toJSON(),
    adminCommand().toJSON(),
    dashboardCommand().toJSON(),
  ];
}
