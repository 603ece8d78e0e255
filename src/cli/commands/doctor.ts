import { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config.js';
import { createLogger } from '../../core/logger.js';
import { type CliContext, println } from '../cli-context.js';
import {
  type CheckResult,
  checkDataDir,
  checkDiscord,
  checkMinimax,
  checkMinimaxV2,
  checkSlack,
  checkStore,
} from '../doctor-checks.js';
import { EXIT_FAILED, ExitError } from '../exit-codes.js';

const MARK = { ok: '✓', fail: '✗', skip: '-' } as const;

export function doctorCommand(ctx: CliContext): Command {
  return new Command('doctor')
    .summary('check settings, key region and reachability')
    .description(
      'Check the settings, that MiniMax accepts the key at MINIMAX_BASE_URL (and whether it ' +
        'belongs to the other region), the Discord and Slack tokens, the job store and DATA_DIR. ' +
        'Prints one ✓/✗ line per check; exit code 1 when any check fails.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ minimax-video-bot doctor
  $ MINIMAX_BASE_URL=https://api.minimaxi.com minimax-video-bot doctor`,
    )
    .action(async () => {
      const print = (r: CheckResult) => println(ctx.stdout, `${MARK[r.outcome]} ${r.line}`);
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig(ctx.env);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        print({ outcome: 'fail', line: `Configuration: ${err.message}.` });
        throw new ExitError(EXIT_FAILED);
      }
      print({ outcome: 'ok', line: 'Configuration is valid.' });
      // Probe errors are reported as ✗ lines; the logger only keeps library noise quiet.
      const logger = createLogger({ level: 'silent', format: 'json' });
      const results = [
        await checkMinimax(config, logger),
        await checkMinimaxV2(config, logger),
        await checkDiscord(config),
        await checkSlack(config),
        await checkStore(config, logger),
        await checkDataDir(config),
      ];
      for (const r of results) print(r);
      if (results.some((r) => r.outcome === 'fail')) throw new ExitError(EXIT_FAILED);
    });
}
