/**
 * Masks an address for a report an operator reads: the first character of the local
 * part and the domain stay, so a sample can be recognised without being spelled out.
 *
 * @example
 * maskAddress('ann@example.com') // 'a***@example.com'
 * maskAddress('not an address')  // '***'
 */
export function maskAddress(address: string): string {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 1 || at === trimmed.length - 1) return '***';
  return `${trimmed[0]}***@${trimmed.slice(at + 1).toLowerCase()}`;
}
