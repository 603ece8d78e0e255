import { normaliseCamera } from '../core/camera.js';
import type { RawVideoRequest } from '../core/request-types.js';

/**
 * The text form of a request, shared by both chat platforms: Slack's `/video <text>` and
 * mentions on Slack and Discord. Platform markup is undone before parsing.
 */

/** What `/video <text>` (or a mention's text) asks for. */
export type ParsedCommand =
  | { kind: 'modal' }
  | {
      kind: 'request';
      request: RawVideoRequest;
      /** `--subject`: use the one attached image as a face reference (mentions). */
      asSubject: boolean;
    }
  | { kind: 'error'; message: string };

type FlagName =
  | 'model'
  | 'duration'
  | 'resolution'
  | 'camera'
  | 'no-optimizer'
  | 'watermark'
  | 'subject'
  | 'ratio'
  | 'enhance';

const FLAG_ALIASES: Readonly<Record<string, FlagName>> = {
  model: 'model',
  m: 'model',
  duration: 'duration',
  dur: 'duration',
  length: 'duration',
  seconds: 'duration',
  d: 'duration',
  resolution: 'resolution',
  res: 'resolution',
  r: 'resolution',
  camera: 'camera',
  cam: 'camera',
  c: 'camera',
  'no-optimizer': 'no-optimizer',
  'no-optimiser': 'no-optimizer',
  raw: 'no-optimizer',
  watermark: 'watermark',
  subject: 'subject',
  face: 'subject',
  reference: 'subject',
  ratio: 'ratio',
  aspect: 'ratio',
  enhance: 'enhance',
};
const BOOLEAN_FLAGS: ReadonlySet<FlagName> = new Set([
  'no-optimizer',
  'watermark',
  'subject',
  'enhance',
]);

/** The one-line list of options shown when a flag is unknown or incomplete. */
export const FLAG_HELP =
  '--model M, --duration 6|10, --resolution 768P|1080P, --camera "Pan left", --no-optimizer and --watermark (MiniMax-H3: --ratio 9:16, --enhance, --duration 4-15, --resolution 2K)';

interface Token {
  text: string;
  quoted: boolean;
  start: number;
  end: number;
}

/**
 * Slack-escaped, phone-typed text made parseable: entities and `<link|label>` markup undone,
 * smart and CJK quotes made ASCII, and the em dash iOS makes of `--` turned back.
 */
export function normaliseText(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<((?:https?|mailto):[^>|]+)\|([^>]*)>/g, '$2')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u300C\u300D\u300E\u300F\uFF02]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/\u3000/g, ' ')
    .replace(/\uFF1D/g, '=')
    .replace(/(^|\s)(?:\u2014\u2014|\uFF0D\uFF0D|[\u2014\u2013\uFF0D])(?=[A-Za-z])/g, '$1--');
}

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i += 1;
      continue;
    }
    const start = i;
    let value = '';
    let quoted = false;
    while (i < text.length && !/\s/.test(text[i]!)) {
      const ch = text[i]!;
      // A quote opens only at the start of a token or right after `=`, so "cat's" stays a word.
      const opens = (ch === '"' || ch === "'") && (i === start || text[i - 1] === '=');
      if (!opens) {
        value += ch;
        i += 1;
        continue;
      }
      const close = text.indexOf(ch, i + 1);
      const stop = close === -1 ? text.length : close;
      value += text.slice(i + 1, stop);
      quoted = true;
      i = close === -1 ? text.length : close + 1;
    }
    tokens.push({ text: value, quoted, start, end: i });
  }
  return tokens;
}

function flagOf(token: Token): { name: string; inline?: string } | undefined {
  if (token.quoted && !token.text.includes('=')) return undefined;
  const m = /^(?:--|-(?=[a-z]$|[a-z]=))([^=\s]+)(?:=(.*))?$/i.exec(token.text);
  if (!m) return undefined;
  return m[2] === undefined
    ? { name: m[1]!.toLowerCase() }
    : { name: m[1]!.toLowerCase(), inline: m[2] };
}

function normaliseDuration(v: string): string {
  return /^\s*(\d+)/.exec(v)?.[1] ?? v;
}

function normaliseResolution(v: string): string {
  const t = v.trim().toUpperCase();
  if (t === '2K' || t === '2KP') return '2K';
  return /^\d+$/.test(t) ? `${t}P` : t;
}

/**
 * Parses `/video a cat surfing --model 02 --duration=10 --camera "Pan left"`. Flags may come
 * anywhere; everything else is the prompt, kept as typed. Empty text or `help` asks for the modal.
 */
export function parseVideoCommand(text: string): ParsedCommand {
  const clean = normaliseText(text).trim();
  if (clean === '' || /^(help|\?|帮助)$/i.test(clean)) return { kind: 'modal' };
  const tokens = tokenise(clean);
  const request: RawVideoRequest = {};
  let asSubject = false;
  const cut: [number, number][] = [];

  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const flag = flagOf(token);
    if (!flag) continue;
    const name = FLAG_ALIASES[flag.name];
    if (!name) {
      return {
        kind: 'error',
        message: `I don't know the option --${flag.name}; you can use ${FLAG_HELP}.`,
      };
    }
    let end = token.end;
    let value = flag.inline;
    if (value === undefined && !BOOLEAN_FLAGS.has(name)) {
      const next = tokens[i + 1];
      if (!next || flagOf(next)) {
        return {
          kind: 'error',
          message: `The option --${flag.name} needs a value; you can use ${FLAG_HELP}.`,
        };
      }
      value = next.text;
      end = next.end;
      i += 1;
      // An unquoted two-word camera command ("--camera pan left") takes the following word too.
      const after = tokens[i + 1];
      if (name === 'camera' && !next.quoted && after && !flagOf(after)) {
        if (normaliseCamera(`${value} ${after.text}`)) {
          value = `${value} ${after.text}`;
          end = after.end;
          i += 1;
        }
      }
    }
    cut.push([token.start, end]);
    const v = (value ?? '').trim();
    if (name === 'model') request.model = v;
    else if (name === 'duration') request.duration = normaliseDuration(v);
    else if (name === 'resolution') request.resolution = normaliseResolution(v);
    else if (name === 'camera') request.camera = v;
    // `--no-optimizer` turns it off; `--no-optimizer=false` leaves it on.
    else if (name === 'no-optimizer') request.promptOptimizer = isFalse(value);
    else if (name === 'watermark') request.watermark = !isFalse(value);
    else if (name === 'ratio') request.ratio = v;
    else if (name === 'enhance') request.enhance = !isFalse(value);
    else asSubject = !isFalse(value);
  }

  let prompt = '';
  let from = 0;
  for (const [start, end] of cut) {
    prompt += `${clean.slice(from, start)} `;
    from = end;
  }
  prompt = (prompt + clean.slice(from)).replace(/[ \t]+/g, ' ').trim();
  if (prompt) request.prompt = prompt;
  return { kind: 'request', request, asSubject };
}

function isFalse(v: string | undefined): boolean {
  return v !== undefined && /^(false|no|off|0)$/i.test(v.trim());
}
