/** One fault scenario's outcome, as the README's table shows it. */
export interface FaultRow {
  scenario: string;
  /** Faulty answers (or kills) the bot actually met. */
  faults: number;
  /** Jobs the user asked for. */
  jobs: number;
  /** Jobs not finished (done, or failed with the reason shown to the user) at the end. */
  lost: number;
  /** MiniMax tasks beyond one per job. */
  duplicateTasks: number;
  /** Videos posted beyond one per job. */
  duplicatePosts: number;
  /** What the user saw, in a few words. */
  outcome: string;
}

/** Collects the rows of one test file and prints them as a table when the file is done. */
export class FaultTally {
  readonly rows: FaultRow[] = [];

  constructor(private readonly title: string) {}

  add(row: FaultRow): void {
    this.rows.push(row);
  }

  table(): string {
    const header = '| scenario | faults | jobs | lost | dup. tasks | dup. posts | outcome |';
    const lines = this.rows.map(
      (r) =>
        `| ${r.scenario} | ${r.faults} | ${r.jobs} | ${r.lost} | ${r.duplicateTasks} | ${r.duplicatePosts} | ${r.outcome} |`,
    );
    const sum = (k: 'faults' | 'jobs' | 'lost' | 'duplicateTasks' | 'duplicatePosts') =>
      this.rows.reduce((n, r) => n + r[k], 0);
    const total = `| **total** | ${sum('faults')} | ${sum('jobs')} | ${sum('lost')} | ${sum('duplicateTasks')} | ${sum('duplicatePosts')} | |`;
    return [`${this.title}`, header, '|---|---|---|---|---|---|---|', ...lines, total].join('\n');
  }

  print(): void {
    if (this.rows.length > 0) console.log(`\n${this.table()}\n`);
  }
}
