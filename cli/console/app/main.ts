import { session } from './api';
import { declarePage } from './pages/declare';
import { deadLettersPage } from './pages/dead-letters';
import { doubtPage } from './pages/doubt';
import { incidentPage } from './pages/incident';
import { incidentsPage } from './pages/incidents';
import { storyPage } from './pages/story';

/** A page: draws itself into `main`; returns a function that stops its timers when the operator leaves. */
export type Page = (main: HTMLElement, param: string | undefined) => Promise<(() => void) | void>;

const PAGES: Readonly<Record<string, Page>> = {
  incidents: incidentsPage,
  declare: declarePage,
  incident: incidentPage,
  story: storyPage,
  doubt: doubtPage,
  'dead-letters': deadLettersPage,
};

let leave: (() => void) | void;

/** Shows the page the address names (`#/incident/inc-legacy`), marks its link current and focuses its heading. */
async function route(): Promise<void> {
  leave?.();
  leave = undefined;
  const [name = 'incidents', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = PAGES[name] ?? incidentsPage;
  const main = document.getElementById('main')!;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === `#/${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  leave = await page(main, rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined);
  main.querySelector<HTMLElement>('h1')?.focus();
}

async function start(): Promise<void> {
  const s = await session();
  document.getElementById('session')!.textContent = `${s.target} · you are ${s.identity}`;
  window.addEventListener('hashchange', () => void route());
  await route();
}

void start();
