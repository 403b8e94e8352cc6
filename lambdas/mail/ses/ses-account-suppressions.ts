import { DeleteSuppressedDestinationCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { AccountSuppressionList } from '../../directory/ports/directory-store';
import { RetryLaterError } from '../../platform/function-errors';

/**
 * SES's account-level suppression list (SES v2 `DeleteSuppressedDestination`): an erased
 * customer's address is taken off it, since SES keeps it there in the clear. `NotFoundException`
 * (the address was never suppressed) is the usual answer and no error; anything else is a
 * {@link RetryLaterError}, so the erasure's record comes back and tries again before it scrubs.
 * The error names no address.
 *
 * @example
 * await new SesAccountSuppressions(sesV2).forget('ann@example.com');
 */
export class SesAccountSuppressions implements AccountSuppressionList {
  constructor(private readonly ses: Pick<SESv2Client, 'send'>) {}

  async forget(address: string): Promise<void> {
    try {
      await this.ses.send(new DeleteSuppressedDestinationCommand({ EmailAddress: address }));
    } catch (error) {
      if (error instanceof Error && error.name === 'NotFoundException') return;
      const name = error instanceof Error ? error.name : 'unknown error';
      throw new RetryLaterError(`SES DeleteSuppressedDestination failed (${name}): the erased address could not be taken off the account suppression list`, { cause: error });
    }
  }
}
