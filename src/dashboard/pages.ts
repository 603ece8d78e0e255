import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { formatMoney } from '../core/pricing/price-table.js';

/** Templates and static files live beside `dist/` and `src/` (package root `dashboard/`). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

/** Eta with escaping on by default: `<%= %>` escapes, only `<%~ %>` (used for the layout) does not. */
export function createPages(): { render(view: string, data: Record<string, unknown>): string } {
  const eta = new Eta({ views: `${DASHBOARD_DIR}views`, autoEscape: true, cache: true });
  const money = (amount: number, currency = 'USD') => formatMoney(amount, currency);
  return { render: (view, data) => eta.render(view, { money, ...data }) };
}

/** JSON inside `<script type="application/json">`: `<` escaped so no text can close the tag. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c');
