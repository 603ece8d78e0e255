import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets, stripSignedQuery } from '../../src/core/logger.js';

function capture() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { destination, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('writes JSON lines at the configured level', () => {
    const out = capture();
    const logger = createLogger({ level: 'warn', format: 'json', destination: out.destination });
    logger.info('hidden');
    logger.warn({ jobId: 'j1' }, 'shown');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'shown', jobId: 'j1', level: 40 });
  });

  it('redacts authorization headers, keys, tokens and download URLs', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'json', destination: out.destination });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer sk-secret-123' } },
        headers: { Authorization: 'Bot discord-secret-456' },
        apiKey: 'sk-secret-123',
        config: { MINIMAX_API_KEY: 'sk-secret-123', SLACK_SIGNING_SECRET: 'signing-789' },
        botToken: 'xoxb-1',
        appToken: 'xapp-1',
        signingSecret: 'signing-789',
        file: { downloadUrl: 'https://video-product.cdn.minimax.io/x/output.mp4' },
      },
      'call',
    );
    const text = out.text();
    for (const secret of [
      'sk-secret-123',
      'discord-secret-456',
      'xoxb-1',
      'xapp-1',
      'signing-789',
      'output.mp4',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });

  it('keeps URLs but drops signed query strings', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'json', destination: out.destination });
    logger.info({ url: 'https://cdn.discordapp.com/a/b.png?ex=1&is=2&hm=abcdef' }, 'fetch');
    const line = JSON.parse(out.text());
    expect(line.url).toBe('https://cdn.discordapp.com/a/b.png?[redacted]');
  });

  it('formats pretty output without leaking secrets', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'pretty', destination: out.destination });
    logger.info({ token: 'tok-secret-1' }, 'hello there');
    expect(out.text()).toContain('hello there');
    expect(out.text()).not.toContain('tok-secret-1');
    expect(() => JSON.parse(out.text())).toThrow();
  });
});

describe('redactSecrets', () => {
  it('removes known secrets, bearer tokens and signed query strings from text', () => {
    const text =
      'failed: key sk-abcdef123 sent as Bearer sk-abcdef123 to https://x.example/f?X-Amz-Signature=zz';
    const clean = redactSecrets(text, ['sk-abcdef123', undefined]);
    expect(clean).not.toContain('sk-abcdef123');
    expect(clean).not.toContain('zz');
    expect(clean).toContain('https://x.example/f?[redacted]');
  });

  it('leaves unsigned URLs alone', () => {
    expect(stripSignedQuery('https://a.example/p?page=2')).toBe('https://a.example/p?page=2');
  });
});
