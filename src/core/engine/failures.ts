import type { BotError } from '../errors.js';
import type { JobFailure } from '../jobs/job.js';
import {
  MinimaxConnectionError,
  MinimaxError,
  MinimaxTimeoutError,
  minimaxTaskFailedError,
} from '../minimax/errors.js';
import type { TaskInfo } from '../minimax/types.js';

const NOT_RESENT =
  'so it is unknown whether the video was started; nothing was resubmitted to avoid paying twice, so try again if no video arrives.';
const NOT_RESENT_ZH =
  '因此无法确定视频是否已开始生成；为避免重复扣费，没有重新提交，如果没有收到视频请重试。';

/** The create may have made a task; say why we cannot tell, and that nothing was resent. */
export function unknownOutcome(err: unknown): JobFailure {
  const [why, whyZh] =
    err instanceof MinimaxTimeoutError
      ? ['MiniMax did not answer in time', 'MiniMax 没有及时回应']
      : err instanceof MinimaxConnectionError
        ? [
            'The connection to MiniMax broke before its answer arrived',
            '与 MiniMax 的连接在收到回应前中断了',
          ]
        : err instanceof MinimaxError
          ? [
              'MiniMax answered with an error that does not say whether it made the video',
              'MiniMax 返回的错误没有说明是否已生成视频',
            ]
          : ['Starting the video failed unexpectedly', '开始生成视频时意外失败'];
  return {
    code: 'create_outcome_unknown',
    userMessage: `${why}, ${NOT_RESENT}`,
    userMessageZh: `${whyZh}，${NOT_RESENT_ZH}`,
  };
}

export const CREATE_GAVE_UP: JobFailure = {
  code: 'rate_limited',
  userMessage: 'MiniMax is busy right now (rate limit); please try again in a few minutes.',
  userMessageZh: 'MiniMax 目前繁忙（触发速率限制），请过几分钟再试。',
};

/** The failure stored on a job, in both languages when the error has both. */
export function failureOf(err: BotError): JobFailure {
  const failure: JobFailure = { code: err.code, userMessage: err.userMessage };
  if (err.userMessageZh) failure.userMessageZh = err.userMessageZh;
  return failure;
}

export function timeoutFailure(timeoutS: number): JobFailure {
  const minutes = Math.max(1, Math.round(timeoutS / 60));
  return {
    code: 'job_timeout',
    userMessage: `MiniMax did not finish the video within ${minutes} minutes; please try again later.`,
    userMessageZh: `MiniMax 未能在 ${minutes} 分钟内完成视频，请稍后再试。`,
  };
}

/** A task that ended in Fail (1027 = the generated video itself was blocked). */
export function taskFailure(task: TaskInfo): JobFailure {
  return failureOf(minimaxTaskFailedError(task));
}

export const RESTART_UNKNOWN_OUTCOME: JobFailure = {
  code: 'create_outcome_unknown',
  userMessage: `The bot restarted while starting this video, ${NOT_RESENT}`,
  userMessageZh: `机器人在开始生成此视频时重启了，${NOT_RESENT_ZH}`,
};
