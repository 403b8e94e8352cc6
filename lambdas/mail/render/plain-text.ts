/**
 * An email's text part from its paragraphs: each paragraph's lines one under the other, a
 * blank line between paragraphs, and a newline at the end.
 *
 * @example
 * plainText([['Hello Anna,'], ['See your registry:', 'https://shop.example/r/1']])
 * // 'Hello Anna,\n\nSee your registry:\nhttps://shop.example/r/1\n'
 */
export function plainText(paragraphs: readonly (readonly string[])[]): string {
  return `${paragraphs.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
