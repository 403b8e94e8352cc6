/** An email the SES emulator accepted: just what the demo checks. */
export interface SentMail {
  readonly messageId: string;
  readonly to: readonly string[];
  readonly subject: string;
}

/**
 * Reads every email aws-ses-v2-local has accepted (`GET /store`), recipients as bare,
 * lower-case addresses.
 *
 * @example
 * const mails = await sentMail(endpoints.ses);
 * mails.filter((m) => m.to.includes('anna.berger@example.com')).length
 */
export async function sentMail(sesEndpoint: string): Promise<SentMail[]> {
  const response = await fetch(`${sesEndpoint.replace(/\/+$/, '')}/store`);
  if (!response.ok) throw new Error(`The SES emulator's store answered ${response.status}`);
  const { emails } = (await response.json()) as {
    emails: { messageId: string; subject: string; destination: { to: string[]; cc: string[]; bcc: string[] } }[];
  };
  return emails.map((email) => ({
    messageId: email.messageId,
    subject: email.subject,
    to: [...email.destination.to, ...email.destination.cc, ...email.destination.bcc].map(bare),
  }));
}

function bare(address: string): string {
  return (/<([^>]+)>/.exec(address)?.[1] ?? address).trim().toLowerCase();
}
