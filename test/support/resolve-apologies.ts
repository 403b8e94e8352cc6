import { setTimeout as sleep } from 'node:timers/promises';
import { operatorEndpoint } from '../../cli/operator/operator-endpoint';
import { settledCount } from '../../lambdas/audit/campaign/enqueue-apologies';
import type { ResolveOutcome } from '../../lambdas/operator/notices/resolve-uncertain';
import type { CampaignStore } from '../../lambdas/audit/ports/campaigns';
import type { LocalStack } from '@registry-notices/local-stack';
import { eventually } from './apology-drain';
import { writeTestStackState } from './local-stack-state';

/** The operator who resolves (locally a key's secret is its id; the function URL names the caller by it). */
export const RESOLVING_OPERATOR = 'ops-ann';

/** What settling and resolving an incident's apologies in doubt came to. */
export interface ApologyResolution {
  /** In doubt once SES's events had their moment (before any re-send). */
  readonly inDoubt: number;
  /** What `notice resolve` answered, one per apology it was asked about. */
  readonly outcomes: readonly ResolveOutcome[];
}

/**
 * What an operator does after an outage, on a local stack: lets the local SES event
 * destination publish what the emulator took (a Send settles an apology in doubt), waits out
 * the settle window, lists what is still in doubt with `notice uncertain` and resolves the
 * incident's resolvable apologies with `notice resolve`, through the stack's operator
 * endpoint as the CLI calls it; then waits until the apology sender has settled each re-send.
 */
export async function settleAndResolveApologies(
  local: LocalStack,
  campaigns: Pick<CampaignStore, 'claimCounts'>,
  incidentId: string,
  options: { readonly settleSeconds: number; readonly toApologise: number },
): Promise<ApologyResolution> {
  const uncertain = async (): Promise<number> => (await campaigns.claimCounts(incidentId)).UNCERTAIN ?? 0;
  // A re-send under way has left UNCERTAIN and is not counted again until it settles.
  const allSettled = async (): Promise<boolean> => {
    const counts = await campaigns.claimCounts(incidentId);
    return (counts.UNCERTAIN ?? 0) === 0 && settledCount(counts) >= options.toApologise;
  };
  await local.mailEvents.flush();
  await sleep((options.settleSeconds + 1) * 1000);
  const inDoubt = await uncertain();
  const endpoint = operatorEndpoint(
    { stateFile: writeTestStackState(local.outputs.values) },
    { AWS_ACCESS_KEY_ID: RESOLVING_OPERATOR, AWS_SECRET_ACCESS_KEY: RESOLVING_OPERATOR },
  );
  const listed = await endpoint.call('notice uncertain', {});
  const apologyIds = listed.items.filter((i) => i.kind === 'apology' && i.resolvable && i.id.startsWith(`${incidentId}/`)).map((i) => i.id);
  const outcomes = apologyIds.length > 0 ? await endpoint.call('notice resolve', { apologyIds }) : [];
  await eventually(allSettled, 120_000, 500);
  return { inDoubt, outcomes };
}
