import { createHmac } from 'node:crypto';

/** Signs a request body the way Slack does: `v0=` + HMAC-SHA256 of `v0:<ts>:<body>`. */
export function slackSignature(signingSecret: string, timestampSec: number, body: string): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`);
  return `v0=${hmac.digest('hex')}`;
}
