import { formatNoticeStory } from '../../../notice/format-notice';
import { call } from '../api';
import { field, h, show } from '../dom';
import { errorBox, pageHeading } from '../ui';

/**
 * A notice's story (`notice show`): by event id, notice id or address, as a timeline of the
 * lines the CLI prints (decision, claim, send, SES, doubt, audit, incidents, apologies).
 * Addresses stay masked unless the operator asks to reveal them, and says why: the reason is
 * recorded with the reveal (docs/operator.md, "Revealing an address"), so it is asked here
 * before anything is sent, and the endpoint checks it again.
 */
export async function storyPage(main: HTMLElement): Promise<void> {
  const query = h('input', { id: 'query', name: 'query', type: 'search', autocomplete: 'off', required: true, 'aria-required': 'true' });
  const reveal = h('input', { id: 'reveal', name: 'reveal', type: 'checkbox', 'aria-controls': 'reveal-reason-field' });
  const reason = h('input', { id: 'reveal-reason', name: 'reason', type: 'text', autocomplete: 'off', maxlength: 500, required: true, 'aria-required': 'true' });
  const reasonField = field('Why you need the addresses in the clear (reason)', reason, 'Required with "Show addresses in the clear": 1-500 characters, recorded with the reveal.');
  reasonField.id = 'reveal-reason-field';
  reasonField.hidden = true;
  reveal.addEventListener('change', () => {
    reasonField.hidden = !reveal.checked;
  });
  const results = h('div', { id: 'stories' });
  const form = h(
    'form',
    { novalidate: true, role: 'search' },
    field('Event id, notice id or address', query, 'e.g. demo-013, evt#demo-013, imp#…, or an email address.'),
    h('div', { class: 'check' }, reveal, h('label', { for: 'reveal' }, 'Show addresses in the clear')),
    reasonField,
    h('button', { type: 'submit' }, 'Show the story'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      reason.removeAttribute('aria-invalid');
      if (reveal.checked && reason.value.trim() === '') {
        // The endpoint would refuse it too (reason: is required with reveal: true); say so without a request.
        reason.setAttribute('aria-invalid', 'true');
        show(results, h('div', { role: 'alert', class: 'error' }, h('p', { class: 'error-code' }, 'Not sent (reason)'), h('p', { class: 'error-message' }, 'reason: is required to show addresses in the clear; say why you need them (1-500 characters), it is recorded with the reveal.')));
        reason.focus();
        return;
      }
      show(results, h('p', {}, 'Looking…'));
      try {
        const stories = await call('notice show', { query: query.value, ...(reveal.checked ? { reveal: true, reason: reason.value.trim() } : {}) });
        if (stories.length === 0) {
          show(results, h('p', { role: 'status' }, 'No notice found.'));
          return;
        }
        show(
          results,
          h('p', { role: 'status' }, `${stories.length} notice(s) found.`),
          stories.map((story) => {
            const [title, ...rest] = formatNoticeStory(story);
            return h(
              'section',
              { class: 'story', 'aria-label': title },
              h('h2', {}, title),
              h(
                'ol',
                { class: 'timeline' },
                rest.map((line) => {
                  // "  sent        2025-… SES message …": the first word is the step, the rest what happened.
                  const match = /^\s*(\S+)\s+(.*)$/.exec(line);
                  return h('li', {}, h('span', { class: 'step' }, match?.[1] ?? ''), h('span', { class: 'what' }, match?.[2] ?? line));
                }),
              ),
            );
          }),
        );
      } catch (error) {
        show(results, errorBox(error));
      }
    })();
  });
  show(main, pageHeading("A notice's story"), form, results);
}
