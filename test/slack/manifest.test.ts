import { describe, expect, it } from 'vitest';
import { slackManifest } from '../../src/slack/manifest.js';

describe('slackManifest', () => {
  it('asks for every scope the adapter uses', () => {
    const m = slackManifest({ mode: 'socket' });
    expect(m.oauth_config.scopes.bot.sort()).toEqual(
      [
        'app_mentions:read',
        'channels:history',
        'channels:join',
        'chat:write',
        'chat:write.public',
        'commands',
        'files:read',
        'files:write',
        'groups:history',
        'im:history',
        'usergroups:read',
        'users:read',
      ].sort(),
    );
  });

  it('enables Socket Mode without request URLs in socket mode', () => {
    const m = slackManifest({ mode: 'socket' });
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.settings.event_subscriptions).toEqual({ bot_events: ['app_mention'] });
    expect(m.settings.interactivity).toEqual({ is_enabled: true });
    expect(m.features.slash_commands[0]?.url).toBeUndefined();
  });

  it('points commands, events and interactivity at PUBLIC_URL/slack/events in HTTP mode', () => {
    const m = slackManifest({
      mode: 'http',
      publicUrl: 'https://bot.example.org/',
    });
    const url = 'https://bot.example.org/slack/events';
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.settings.event_subscriptions.request_url).toBe(url);
    expect(m.settings.interactivity.request_url).toBe(url);
    expect(m.features.slash_commands[0]).toMatchObject({ command: '/video', url });
  });
});
