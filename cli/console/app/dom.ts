/** Attributes and properties of an element made by {@link h}: strings are attributes, functions `on…` listeners. */
export type Props = Readonly<Record<string, string | number | boolean | undefined | ((event: Event) => void)>>;

/** What {@link h} takes as children: nodes, text (never parsed as HTML), or nothing. */
export type Child = Node | string | number | false | null | undefined | readonly Child[];

/**
 * Makes an element. Text is always text (`textContent`), never markup: what the endpoint
 * answers (descriptions, reasons, addresses) cannot become HTML here. Written by hand: a
 * dozen lines, where a UI library would be the console's largest part.
 *
 * @example
 * h('button', { type: 'button', onclick: () => go() }, 'Approve')
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what `parent` shows. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A labelled form field: the label's `for` names the input, a hint is its description. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  const hintId = hint ? `${input.id}-hint` : undefined;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hint ? h('p', { id: hintId, class: 'hint' }, hint) : null);
}

/** A table with a caption and a header row. */
export function table(caption: string, head: readonly string[], rows: readonly (readonly Child[])[]): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))),
  );
}

/** Counts by name, largest first (the endpoint's maps have no order), as rows. */
export function countRows(counts: Readonly<Record<string, number>>): (readonly Child[])[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([k, n]) => [k, String(n)]);
}
