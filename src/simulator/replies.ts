import type { ServerResponse } from 'node:http';

/** A buffered answer of an API route, so faults can replace, delay or cut it. */
export interface Reply {
  status: number;
  contentType: string;
  body: string;
  /** base_resp.status_code, for the log line. */
  code?: number;
}

/** Default status_msg per code, worded like MiniMax's (research/minimax-api.md §5.2). */
const MESSAGES: Record<number, string> = {
  1000: 'unknown error',
  1001: 'request timeout',
  1002: 'rate limit exceeded(RPM)',
  1004: 'login fail: Please carefully check the API secret key and fill it in',
  1008: 'insufficient balance',
  1024: 'internal error',
  1026: 'input new_sensitive',
  1027: 'output new_sensitive',
  1028: 'token plan quota exhausted',
  1030: 'token plan quota exhausted',
  1033: 'system error',
  1039: 'token limit',
  2013: 'invalid params',
  2038: 'real-name verification required',
  2045: 'rate growth limit',
  2049: 'invalid api key',
  2056: 'usage limit exceeded',
  2061: 'model not supported by your plan',
};

export function messageOf(code: number): string {
  return MESSAGES[code] ?? 'error';
}

export function jsonReply(body: unknown, status = 200): Reply {
  const code = (body as { base_resp?: { status_code?: number } })?.base_resp?.status_code;
  return {
    status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(body),
    ...(code === undefined ? {} : { code }),
  };
}

/** MiniMax reports business errors as HTTP 200 with a non-zero base_resp. */
export function baseRespReply(code: number, msg?: string, extra: object = {}): Reply {
  return jsonReply({
    ...extra,
    base_resp: { status_code: code, status_msg: msg ?? messageOf(code) },
  });
}

export function htmlReply(status: number, text: string): Reply {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: `<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center><hr><center>nginx</center></body></html>`,
  };
}

/** A CDN's answer to an expired signed URL. */
export function expiredUrlReply(): Reply {
  return {
    status: 403,
    contentType: 'application/xml',
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
  };
}

export function customReply(status: number, body: string | object | undefined): Reply {
  if (body === undefined) return htmlReply(status, status >= 500 ? 'Server Error' : 'Error');
  if (typeof body === 'string') {
    const looksJson = /^\s*[[{]/.test(body);
    return {
      status,
      contentType: looksJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      body,
    };
  }
  return jsonReply(body, status);
}

export function send(res: ServerResponse, reply: Reply, truncate = false): void {
  const bytes = Buffer.from(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType,
    'Content-Length': String(bytes.length),
  });
  if (!truncate) {
    res.end(bytes);
    return;
  }
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
}
