import { describe, expect, it } from 'vitest';
import { isTerminalStatus, normaliseTaskStatus } from '../../../src/core/minimax/task-status.js';

describe('normaliseTaskStatus', () => {
  it.each([
    ['Preparing', 'Preparing'],
    ['Queueing', 'Queueing'],
    ['processing', 'Processing'],
    ['Success', 'Success'],
    ['success', 'Success'],
    ['Fail', 'Fail'],
    ['Failed', 'Fail'],
    ['failed', 'Fail'],
    ['fail', 'Fail'],
    ['Error', 'Fail'],
    ['', 'Unknown'],
    [undefined, 'Unknown'],
    ['Cancelled?', 'Unknown'],
  ])('reads %s as %s', (raw, expected) => {
    expect(normaliseTaskStatus(raw)).toBe(expected);
  });

  it('treats only Success and Fail as terminal', () => {
    expect(
      ['Preparing', 'Queueing', 'Processing', 'Unknown', 'Success', 'Fail'].filter((s) =>
        isTerminalStatus(s as never),
      ),
    ).toEqual(['Success', 'Fail']);
  });
});
