const EMAIL_LIKE = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g;

/**
 * Describes an error for a log line with any address in it masked: SES error
 * messages can quote the recipient ("... failed the check: ann@example.com").
 *
 * @example
 * describeError(new Error('rejected: ann@example.com')) // { name: 'Error', message: 'rejected: [address]' }
 */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: redactAddresses(error.message) };
  return { name: 'NonError', message: redactAddresses(String(error)) };
}

/** Replaces anything that looks like an email address with `[address]`. */
export function redactAddresses(text: string): string {
  return text.replace(EMAIL_LIKE, '[address]');
}
