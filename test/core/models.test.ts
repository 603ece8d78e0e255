import { describe, expect, it } from 'vitest';
import {
  allowedDurations,
  allowedResolutions,
  DEFAULT_MODEL,
  MODELS,
  modelsFor,
  resolveModelName,
} from '../../src/core/models.js';

describe('models', () => {
  it('uses the SPEC default model for each mode', () => {
    expect(DEFAULT_MODEL).toEqual({
      t2v: 'MiniMax-Hailuo-2.3',
      i2v: 'MiniMax-Hailuo-2.3',
      fl2v: 'MiniMax-Hailuo-02',
      s2v: 'S2V-01',
    });
  });

  it('lists every model of the V1 video API once', () => {
    expect(new Set(MODELS).size).toBe(9);
    expect(MODELS).toContain('MiniMax-Hailuo-2.3-Fast');
  });

  it('offers only Hailuo-02 for first-and-last-frame and only S2V-01 for subject reference', () => {
    expect(modelsFor('fl2v')).toEqual(['MiniMax-Hailuo-02']);
    expect(modelsFor('s2v')).toEqual(['S2V-01']);
    expect(modelsFor('t2v')).not.toContain('MiniMax-Hailuo-2.3-Fast');
  });

  it('accepts forgiving spellings of model names', () => {
    expect(resolveModelName('hailuo-2.3')).toBe('MiniMax-Hailuo-2.3');
    expect(resolveModelName('2.3-fast')).toBe('MiniMax-Hailuo-2.3-Fast');
    expect(resolveModelName('MINIMAX-HAILUO-02')).toBe('MiniMax-Hailuo-02');
    expect(resolveModelName('Hailuo 02')).toBe('MiniMax-Hailuo-02');
    expect(resolveModelName('t2v-01-director')).toBe('T2V-01-Director');
    expect(resolveModelName('i2v 01 live')).toBe('I2V-01-live');
    expect(resolveModelName('s2v-01')).toBe('S2V-01');
  });

  it('returns nothing for an unknown model instead of substituting one', () => {
    expect(resolveModelName('video-01')).toBeUndefined();
    expect(resolveModelName('hailuo')).toBeUndefined();
    expect(resolveModelName('gpt-4')).toBeUndefined();
  });

  it('allows 512P only for Hailuo-02 image-to-video', () => {
    expect(allowedResolutions('MiniMax-Hailuo-02', 'i2v')).toContain('512P');
    expect(allowedResolutions('MiniMax-Hailuo-02', 't2v')).not.toContain('512P');
    expect(allowedResolutions('MiniMax-Hailuo-02', 'fl2v')).toEqual(['768P', '1080P']);
    expect(allowedResolutions('MiniMax-Hailuo-2.3', 'i2v')).toEqual(['768P', '1080P']);
  });

  it('has no selectable resolution for the 01 series', () => {
    expect(allowedResolutions('T2V-01', 't2v')).toEqual([]);
  });

  it('allows 10 seconds only below 1080P and never for the 01 series', () => {
    expect(allowedDurations('MiniMax-Hailuo-2.3', '768P')).toEqual([6, 10]);
    expect(allowedDurations('MiniMax-Hailuo-2.3', '1080P')).toEqual([6]);
    expect(allowedDurations('I2V-01', undefined)).toEqual([6]);
  });
});
