import type { OperatorArgs, OperatorCommandName, OperatorResult } from '../../../lambdas/operator/commands';
import type { ConsoleAnswer, ConsoleSession } from '../console-api';

/** The endpoint refused (its code and message, word for word), or the console could not reach it. */
export class Refused extends Error {
  override name = 'Refused';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends one operator command through the console's server, which signs it as the operator
 * and forwards it to the endpoint: the same command and fields the CLI sends.
 *
 * @throws Refused with the endpoint's own message when it refuses
 */
export async function call<N extends OperatorCommandName>(command: N, args: OperatorArgs<N>): Promise<OperatorResult<N>> {
  const response = await fetch('/api/operator', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ command, args }),
    credentials: 'same-origin',
  });
  let answer: ConsoleAnswer<OperatorResult<N>>;
  try {
    answer = (await response.json()) as ConsoleAnswer<OperatorResult<N>>;
  } catch {
    throw new Refused(response.status, 'CONSOLE', `The console answered ${response.status} without JSON: is it still running?`);
  }
  if ('result' in answer) return answer.result;
  throw new Refused(response.status, answer.error.code, answer.error.message);
}

/** Which stack, and who this console signs as. */
export async function session(): Promise<ConsoleSession> {
  const response = await fetch('/api/session', { credentials: 'same-origin' });
  if (!response.ok) throw new Refused(response.status, 'CONSOLE', await response.text());
  return (await response.json()) as ConsoleSession;
}
