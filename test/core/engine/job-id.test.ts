import { describe, expect, it } from 'vitest';
import { newJobId } from '../../../src/core/engine/job-admission.js';
import { VIDEO_ID_PATTERN } from '../../../src/server/video-route.js';

describe('newJobId', () => {
  it('makes ids that never start like a shell option and fit the video-link pattern', () => {
    const ids = new Set(Array.from({ length: 2_000 }, newJobId));
    expect(ids.size).toBe(2_000);
    for (const id of ids) {
      expect(id).not.toMatch(/^[-_]/);
      expect(id).toMatch(VIDEO_ID_PATTERN);
    }
  });
});
