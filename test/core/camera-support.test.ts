import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { validateRequest } from '../../src/core/request.js';
import type { RawVideoRequest } from '../../src/core/request-types.js';

const frame = { bytes: readFileSync(new URL('../fixtures/frame.png', import.meta.url)) };

function refusal(raw: RawVideoRequest): InputError {
  try {
    validateRequest(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected the request to be refused');
}

describe('camera commands only on models that take them', () => {
  it('refuses the camera option on T2V-01, naming the text-to-video models that take it', () => {
    const err = refusal({ prompt: 'a cat', model: 'T2V-01', camera: 'Pan left' });
    expect(err.code).toBe('camera_unsupported');
    expect(err.userMessage).toBe(
      'T2V-01 ignores camera commands like [Pan left]; pick MiniMax-Hailuo-2.3 or MiniMax-Hailuo-02 or T2V-01-Director, or remove the camera command.',
    );
    expect(err.userMessageZh).toContain('[左摇]');
  });

  it('refuses a command typed in the prompt on I2V-01, I2V-01-live and S2V-01', () => {
    for (const model of ['I2V-01', 'I2V-01-live']) {
      const err = refusal({ prompt: 'she smiles [Push in]', model, images: { first: frame } });
      expect(err.userMessage).toContain(`${model} ignores camera commands like [Push in]`);
      expect(err.userMessage).toContain('I2V-01-Director');
    }
    const s2v = refusal({ prompt: 'walking [跟随]', images: { subject: frame } });
    expect(s2v.userMessage).toBe(
      'S2V-01 ignores camera commands like [Tracking shot]; remove the camera command.',
    );
  });

  it('accepts camera commands on the Hailuo and Director models', () => {
    expect(validateRequest({ prompt: 'a cat', camera: 'Pan left' }).request.prompt).toBe(
      'a cat [Pan left]',
    );
    const director = validateRequest({
      prompt: 'a cat [Zoom in,Pan left]',
      model: 'T2V-01-Director',
    });
    expect(director.request.prompt).toBe('a cat [Zoom in,Pan left]');
  });

  it('leaves other bracketed words alone on models without camera support', () => {
    expect(validateRequest({ prompt: 'a sign saying [sic]', model: 'T2V-01' }).request.prompt).toBe(
      'a sign saying [sic]',
    );
  });
});
