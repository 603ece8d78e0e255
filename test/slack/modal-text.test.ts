import { describe, expect, it } from 'vitest';
import { buildVideoModal } from '../../src/slack/modal.js';

describe('the /video form', () => {
  it('does not claim a subject photo needs a prompt (MiniMax S2V takes the photo alone)', () => {
    const view = JSON.stringify(buildVideoModal({ channelId: 'C1' }));
    expect(view).not.toContain('needs a prompt');
    expect(view).toContain('A face to keep in the video; a prompt is optional.');
    expect(view).toContain('Optional when you add a first frame or a subject photo.');
  });
});
