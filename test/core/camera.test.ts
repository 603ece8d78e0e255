import { describe, expect, it } from 'vitest';
import { CAMERA_COMMANDS, cameraLabel, normaliseCamera } from '../../src/core/camera.js';

describe('camera commands', () => {
  it('lists the 15 official commands', () => {
    expect(CAMERA_COMMANDS).toHaveLength(15);
    expect(CAMERA_COMMANDS).toContain('Tracking shot');
  });

  it.each([
    ['pan left'],
    ['Pan left'],
    ['[Pan left]'],
    ['PAN  LEFT'],
    ['pan-left'],
    ['左摇'],
    ['[左摇]'],
    ['【左摇】'],
  ])('normalises %s to Pan left', (input) => {
    expect(normaliseCamera(input)).toBe('Pan left');
  });

  it('maps every Chinese form to its English command', () => {
    expect(normaliseCamera('变焦拉远')).toBe('Zoom out');
    expect(normaliseCamera('固定')).toBe('Static shot');
  });

  it('rejects something that is not a command', () => {
    expect(normaliseCamera('spin around')).toBeUndefined();
    expect(normaliseCamera('')).toBeUndefined();
  });

  it('shows the Chinese form for a zh locale', () => {
    expect(cameraLabel('Pan left', 'zh-CN')).toBe('左摇');
    expect(cameraLabel('Pan left', 'en-US')).toBe('Pan left');
  });
});
