// Date helpers of "pause until" and "delay" (plain functions, tested with node's runner).
import {isoDay} from './state';

/** `nextBillingDate` moved by `weeks` (noon UTC, so the calendar day is the same everywhere). */
export function delayedDay(nextBillingDate: string | null, weeks: number): string | null {
  if (!nextBillingDate) return null;
  const day = new Date(`${isoDay(nextBillingDate)}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 7 * weeks);
  return day.toISOString();
}

/** A calendar day (`2026-12-25`) as a moment `tools.date` shows as that day in any zone. */
export function noonOf(day: string): string {
  return `${day}T12:00:00Z`;
}
