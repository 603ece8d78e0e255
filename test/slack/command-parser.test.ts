import { describe, expect, it } from 'vitest';
import { parseVideoCommand } from '../../src/chat/command-parser.js';

function request(text: string) {
  const parsed = parseVideoCommand(text);
  if (parsed.kind !== 'request') throw new Error(`expected a request, got ${parsed.kind}`);
  return parsed.request;
}

describe('parseVideoCommand', () => {
  it('asks for the modal when the text is empty or help', () => {
    expect(parseVideoCommand('').kind).toBe('modal');
    expect(parseVideoCommand('   ').kind).toBe('modal');
    expect(parseVideoCommand('help').kind).toBe('modal');
  });

  it('takes plain text as the prompt', () => {
    expect(request('a cat surfing a wave at sunset')).toEqual({
      prompt: 'a cat surfing a wave at sunset',
    });
  });

  it('reads flags after the prompt with separate values', () => {
    expect(
      request('a cat surfing --model MiniMax-Hailuo-02 --duration 10 --resolution 768P'),
    ).toEqual({
      prompt: 'a cat surfing',
      model: 'MiniMax-Hailuo-02',
      duration: '10',
      resolution: '768P',
    });
  });

  it('reads --flag=value and short aliases', () => {
    expect(request('--model=02 -d=6 -r 1080p a dog')).toEqual({
      prompt: 'a dog',
      model: '02',
      duration: '6',
      resolution: '1080P',
    });
  });

  it('reads a quoted camera command, straight or smart quotes', () => {
    expect(request('a tram --camera "Pan left"').camera).toBe('Pan left');
    expect(request('a tram --camera “Pan left”').camera).toBe('Pan left');
    expect(request("a tram --camera='Zoom in'").camera).toBe('Zoom in');
  });

  it('takes an unquoted two-word camera command but leaves the next prompt word alone', () => {
    expect(request('--camera pan left a tram at night')).toEqual({
      camera: 'pan left',
      prompt: 'a tram at night',
    });
    expect(request('--camera shake a tram')).toEqual({ camera: 'shake', prompt: 'a tram' });
  });

  it('turns the em dash a phone makes of two hyphens back into a flag', () => {
    expect(request('a fox —duration 10 – resolution 768P')).toMatchObject({
      prompt: 'a fox – resolution 768P',
      duration: '10',
    });
    expect(request('a fox —model 02').model).toBe('02');
  });

  it('keeps Chinese prompts intact and accepts Chinese quotes and camera names', () => {
    expect(request('一只猫在海边冲浪，夕阳西下 --camera 「左摇」 --duration 10秒')).toEqual({
      prompt: '一只猫在海边冲浪，夕阳西下',
      camera: '左摇',
      duration: '10',
    });
  });

  it('keeps apostrophes and quotes inside the prompt', () => {
    expect(request(`the cat's "big" day --watermark`)).toEqual({
      prompt: `the cat's "big" day`,
      watermark: true,
    });
  });

  it('undoes Slack escaping and link markup in the prompt', () => {
    expect(request('rock &amp; roll &lt;3 at <https://example.com|the venue>').prompt).toBe(
      'rock & roll <3 at the venue',
    );
  });

  it('turns the prompt optimizer off with --no-optimizer', () => {
    expect(request('a cat --no-optimizer').promptOptimizer).toBe(false);
  });

  it('marks --subject for mentions', () => {
    const parsed = parseVideoCommand('me as an astronaut --subject');
    expect(parsed).toMatchObject({ kind: 'request', asSubject: true });
  });

  it('answers an unknown flag with the list of options', () => {
    const parsed = parseVideoCommand('a cat --fps 24');
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') {
      expect(parsed.message).toContain('--fps');
      expect(parsed.message).toContain('--model');
      expect(parsed.message).toContain('--camera');
    }
  });

  it('answers a flag without a value in plain language', () => {
    const parsed = parseVideoCommand('a cat --model');
    expect(parsed).toMatchObject({ kind: 'error' });
    if (parsed.kind === 'error') expect(parsed.message).toMatch(/--model needs a value/);
  });

  it('does not treat a hyphenated prompt word as a flag', () => {
    expect(request('a well-lit room -- cozy')).toEqual({ prompt: 'a well-lit room -- cozy' });
  });
});
