import { Refused } from './api';
import { h } from './dom';

/**
 * A message for the operator, in the endpoint's own words when it refused (the lines of its
 * issues kept), announced to screen readers (`role="alert"`).
 */
export function errorBox(error: unknown): HTMLElement {
  if (!(error instanceof Refused)) throw error;
  return h('div', { role: 'alert', class: 'error' }, h('p', { class: 'error-code' }, `Refused (${error.code})`), h('p', { class: 'error-message' }, error.message));
}

/** A region whose text changes are read out politely (progress, results). */
export function statusRegion(id: string): HTMLElement {
  return h('div', { id, role: 'status', class: 'status' });
}

/** A page's heading, focused when the page shows so keyboard and screen-reader users land on it. */
export function pageHeading(text: string): HTMLHeadingElement {
  document.title = `${text} · registry-notices console`;
  return h('h1', { tabindex: '-1' }, text);
}

/** Seconds as `1m35s`, as the CLI prints an ETA. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const hours = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return hours > 0 ? `${hours}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}

/** Waits, in a page's loop (the dry run's pages, the run's readings). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
