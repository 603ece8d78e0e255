/** One target of issue #7 and how this run did against it. */
export interface Check {
  target: string;
  measured: string;
  met: boolean;
  /** Said when not met: by how much, and why if known. */
  shortfall?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  head: string[];
  rows: string[][];
  checks: Check[];
  notes: string[];
  wallSeconds: number;
}

export function markdownTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderReport(results: ScenarioResult[], env: string): string {
  const parts = [`Environment: ${env}`, ''];
  for (const r of results) {
    parts.push(`### ${r.title}`, '', markdownTable(r.head, r.rows), '');
    for (const note of r.notes) parts.push(`- ${note}`);
    if (r.notes.length) parts.push('');
  }
  const checks = results.flatMap((r) => r.checks);
  parts.push(
    '### Targets',
    '',
    markdownTable(
      ['target', 'measured', 'status'],
      checks.map((c) => [
        c.target,
        c.measured,
        c.met ? 'met' : `NOT MET${c.shortfall ? `: ${c.shortfall}` : ''}`,
      ]),
    ),
    '',
  );
  return parts.join('\n');
}
