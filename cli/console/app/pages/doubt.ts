import { formatResolve } from '../../../notice/format-notice';
import { call } from '../api';
import { h, show, table } from '../dom';
import { errorBox, pageHeading } from '../ui';

/** Sends in doubt past the settle window, with age and SES events seen; the resolvable ones may be re-sent once (`notice resolve`). */
export async function doubtPage(main: HTMLElement): Promise<void> {
  const body = h('div', {}, h('p', {}, 'Loading…'));
  const outcome = h('div', {});
  show(main, pageHeading('Sends in doubt'), body, outcome);
  try {
    const list = await call('notice uncertain', {});
    const minutes = (s: number) => (s < 120 ? `${s} s` : `${Math.floor(s / 60)} min`);
    if (list.items.length === 0) {
      show(body, h('p', {}, `Nothing in doubt for longer than ${minutes(list.settleSeconds)}.`), list.stillSettling > 0 ? h('p', {}, `${list.stillSettling} more in doubt for less: their SES events may still come.`) : null);
      return;
    }
    const boxes = list.items.map((item, i) =>
      h('input', { type: 'checkbox', id: `resolve-${i}`, value: item.id, disabled: !item.resolvable, 'aria-label': `Resolve ${item.kind} ${item.id}` }),
    );
    const form = h(
      'form',
      {},
      table(
        'Notices and apologies in doubt',
        ['Resolve', 'Kind', 'Id', 'In doubt for', 'Reason', 'SES events', 'Recipient', 'Re-send'],
        list.items.map((item, i) => [
          boxes[i]!,
          item.kind,
          item.id,
          `${minutes(item.ageSeconds)} (since ${item.inDoubtSince})`,
          item.reason ?? '—',
          item.sesEvents.length ? item.sesEvents.join(', ') : 'none',
          item.recipient ?? '—',
          item.resend ? `${item.resend.state} (approved by ${item.resend.by})` : item.resolvable ? 'may be resolved' : '—',
        ]),
      ),
      h('button', { type: 'submit' }, 'Re-send the chosen ones, once each'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        const ids = boxes.filter((b) => b.checked).map((b) => b.value);
        const noticeIds = ids.filter((id) => !id.includes('/'));
        const apologyIds = ids.filter((id) => id.includes('/'));
        try {
          const outcomes = await call('notice resolve', { ...(noticeIds.length ? { noticeIds } : {}), ...(apologyIds.length ? { apologyIds } : {}) });
          show(outcome, h('div', { role: 'status', class: 'ok' }, formatResolve(outcomes).map((line) => h('p', {}, line))));
        } catch (error) {
          show(outcome, errorBox(error));
        }
      })();
    });
    show(body, form, list.stillSettling > 0 ? h('p', {}, `${list.stillSettling} more in doubt for less than ${minutes(list.settleSeconds)}: their SES events may still come.`) : null);
  } catch (error) {
    show(body, errorBox(error));
  }
}
