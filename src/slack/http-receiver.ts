import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  type Logger as BoltLogger,
  HTTPResponseAck,
  HTTPModuleFunctions as http,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { HttpRoute } from '../server/http-route.js';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  logger: BoltLogger;
  /** Path on the bot's HTTP server. Default `/slack/events`. */
  path?: string;
  /** Largest body accepted (Slack payloads are small; view states with files stay under 1 MB). */
  bodyLimitBytes?: number;
}

/**
 * Bolt receiver for HTTP mode that lives on the bot's own HTTP server instead of opening a port:
 * it verifies Slack's signature (Bolt's `parseAndVerifyHTTPRequest`: HMAC and 5-minute clock
 * skew), answers `url_verification` and `ssl_check`, and hands the rest to the app, whose
 * listeners ack within Slack's 3 s. Retries are still dispatched (the first delivery may never
 * have arrived); the adapter drops duplicates, and `X-Slack-No-Retry` asks Slack to stop.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private accepting = false;
  readonly route: HttpRoute;

  constructor(private readonly options: SlackHttpReceiverOptions) {
    this.route = {
      method: 'POST',
      path: options.path ?? '/slack/events',
      handle: (req, res) => this.handle(req, res),
    };
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    this.accepting = true;
  }

  async stop(): Promise<void> {
    this.accepting = false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger } = this.options;
    if (!this.accepting || !this.app) return http.buildNoBodyResponse(res, 503);
    let buffered: Awaited<ReturnType<typeof http.parseAndVerifyHTTPRequest>>;
    try {
      buffered = await http.parseAndVerifyHTTPRequest(
        {
          signingSecret: this.options.signingSecret,
          bodyLimit: this.options.bodyLimitBytes ?? 1_048_576,
        },
        req,
      );
    } catch (err) {
      if (http.isRawBodyError(err) && err.statusCode === 413)
        return http.buildNoBodyResponse(res, 413);
      logger.warn(`Refused a Slack request: ${(err as Error).message}`);
      return http.buildNoBodyResponse(res, 401);
    }
    // biome-ignore lint/suspicious/noExplicitAny: Slack bodies are untyped until Bolt routes them
    let body: any;
    try {
      body = http.parseHTTPRequestBody(buffered);
    } catch {
      return http.buildNoBodyResponse(res, 400);
    }
    if (body?.ssl_check === '1') return http.buildSSLCheckResponse(res);
    if (body?.type === 'url_verification') return http.buildUrlVerificationResponse(res, body);

    const retryNum = http.extractRetryNumFromHTTPRequest(req);
    if (retryNum !== undefined) res.setHeader('X-Slack-No-Retry', '1');
    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      ...(retryNum !== undefined ? { retryNum } : {}),
      ...(retryNum !== undefined
        ? { retryReason: http.extractRetryReasonFromHTTPRequest(req) }
        : {}),
    };
    // Listeners keep working after their ack (downloads, submit); the HTTP answer is already sent.
    void this.dispatch(event, req, res, ack);
  }

  private async dispatch(
    event: ReceiverEvent,
    req: IncomingMessage,
    res: ServerResponse,
    ack: HTTPResponseAck,
  ): Promise<void> {
    try {
      await this.app!.processEvent(event);
    } catch (error) {
      const acked = await http.defaultProcessEventErrorHandler({
        error: error as Error,
        logger: this.options.logger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      if (acked) ack.ack();
    }
  }
}
