import { DefaultRestOptions, type RESTOptions } from 'discord.js';

type MakeRequest = RESTOptions['makeRequest'];

/**
 * @discordjs/rest sends uploads as a global FormData through its own undici 6. Once the bot's
 * undici 7 is loaded it owns the process-wide dispatcher, and undici 7 cannot read a FormData
 * made by another undici ("action is not a function"), so every upload would fail. Serialising
 * the form first (at most one video of the upload limit) keeps uploads working with either.
 */
export const formSafeRequest: MakeRequest = async (url, init) => {
  if (!(init.body instanceof FormData)) return DefaultRestOptions.makeRequest(url, init);
  const encoded = new Response(init.body);
  const body = Buffer.from(await encoded.arrayBuffer());
  const headers = {
    ...(init.headers as Record<string, string> | undefined),
    'Content-Type': encoded.headers.get('content-type') ?? 'multipart/form-data',
  };
  return DefaultRestOptions.makeRequest(url, { ...init, body, headers });
};
