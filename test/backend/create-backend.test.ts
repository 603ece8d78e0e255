import { describe, expect, it } from 'vitest';
import { storeLocationOf } from '../../src/backend/store-location.js';
import { ConfigError } from '../../src/config.js';
import { backendCases } from './backends.js';

const cases = await backendCases('factory');

describe('storeLocationOf', () => {
  it('reads every STORE_URL scheme the settings allow', () => {
    expect(storeLocationOf('memory://')).toEqual({ kind: 'memory' });
    expect(storeLocationOf('redis://h:6379/2')).toEqual({ kind: 'redis', url: 'redis://h:6379/2' });
    expect(storeLocationOf('rediss://h')).toEqual({ kind: 'redis', url: 'rediss://h' });
    expect(storeLocationOf('sqlite:///tmp/x/bot.sqlite')).toEqual({
      kind: 'sqlite',
      file: '/tmp/x/bot.sqlite',
    });
  });

  it('answers an unknown scheme with one sentence saying what to use', () => {
    expect(() => storeLocationOf('mongodb://x')).toThrow(ConfigError);
    expect(() => storeLocationOf('mongodb://x')).toThrow(
      'Unsupported STORE_URL scheme "mongodb": use sqlite://, redis:// or memory://',
    );
  });
});

describe.each(cases)('createBackend: $name', (c) => {
  it.skipIf(!c.available)(
    'supplies every port from STORE_URL and closes twice safely',
    async () => {
      const backend = await c.open();
      expect(backend.kind).toBe(c.name);
      expect(backend.scheduler.createGate).toBe(backend.createGate);
      expect(await backend.store.listActive()).toEqual([]);
      await backend.close();
      await backend.close();
    },
  );
});
