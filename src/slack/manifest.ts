/** The bot scopes the adapter needs, each for a reason. */
export const SLACK_BOT_SCOPES: readonly string[] = [
  'commands', // /video
  'chat:write', // status messages and their edits
  'chat:write.public', // post in public channels the bot was not invited to
  'channels:join', // join such a channel before sharing the MP4 there (else `not_in_channel`)
  'files:write', // upload the MP4
  'files:read', // download input images (url_private) and use file_input in the form
  'app_mentions:read', // @bot <prompt>
  'channels:history', // a mention in a thread: the thread's first message may hold the image
  'groups:history',
  'im:history',
  // Only used when SLACK_ALLOWED_GROUPS is set; asked for always so turning it on needs no reinstall.
  'usergroups:read',
  'users:read', // users.info with include_locale: error sentences in the user's language
];

export interface SlackManifestOptions {
  mode: 'socket' | 'http';
  /** PUBLIC_URL of the bot; HTTP mode needs it for the request URLs. */
  publicUrl?: string;
  /** Default "MiniMax Video". */
  name?: string;
  /** Default `/video`. */
  command?: string;
}

/** The parts of Slack's app manifest format this bot fills in. */
export interface SlackAppManifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: {
    name: string;
    description: string;
    long_description: string;
    background_color: string;
  };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: {
      command: string;
      description: string;
      usage_hint: string;
      should_escape: boolean;
      url?: string;
    }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

/**
 * The app manifest to paste at api.slack.com/apps → "Create New App" → "From a manifest".
 * Socket Mode needs no public URL; HTTP mode points commands, events and interactivity at
 * `<PUBLIC_URL>/slack/events`.
 */
export function slackManifest(options: SlackManifestOptions): SlackAppManifest {
  const name = options.name ?? 'MiniMax Video';
  const http = options.mode === 'http';
  const base = (options.publicUrl ?? 'https://your-bot.example.com').replace(/\/+$/, '');
  const requestUrl = `${base}/slack/events`;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Turns prompts and photos into short videos with MiniMax Hailuo.',
      long_description:
        'Type /video with a prompt (or nothing, for a form with image slots), or mention the bot with one or two images attached. One message shows the queue position and progress, and the finished MP4 is posted in its thread. Cancel, Regenerate and Variations buttons are on the message.',
      background_color: '#1d1f33',
    },
    features: {
      bot_user: {
        display_name: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        always_online: true,
      },
      slash_commands: [
        {
          command: options.command ?? '/video',
          description: 'Make a short video from a prompt (or open the form)',
          usage_hint: 'a cat surfing at sunset --duration 10 --camera "Pan left"',
          should_escape: false,
          ...(http ? { url: requestUrl } : {}),
        },
      ],
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      event_subscriptions: {
        bot_events: ['app_mention'],
        ...(http ? { request_url: requestUrl } : {}),
      },
      interactivity: { is_enabled: true, ...(http ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !http,
      token_rotation_enabled: false,
    },
  };
}
