import { readFileSync } from 'node:fs';
import { InputFileError } from '../errors';

/**
 * Reads a purchase events file (docs/seed-format.md, "Purchase events"): a JSON object
 * (one event), or an array of them. Each object becomes one SQS message body as JSON;
 * a string element is sent exactly as written, to play malformed input (`"{not json"`).
 * The events are not validated here: checking them is the notify function's job.
 * `-` reads standard input.
 *
 * @example
 * readPurchaseEvents('cli/demo/purchases.json') // ['{"schemaVersion":1,...}', ...]
 */
export function readPurchaseEvents(file: string): string[] {
  const name = file === '-' ? '(stdin)' : file;
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new InputFileError(name, [`cannot read it: ${(error as Error).message}`], { cause: error });
  }
  return purchaseEventBodies(text, name);
}

/**
 * The message bodies in a purchase events document (see {@link readPurchaseEvents}).
 *
 * @example
 * purchaseEventBodies('[{"eventId":"e-1"},"{broken"]', 'inline') // ['{"eventId":"e-1"}', '{broken']
 */
export function purchaseEventBodies(text: string, source: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputFileError(source, [`not JSON: ${(error as Error).message}`], { cause: error });
  }
  const elements = Array.isArray(json) ? json : [json];
  const problems: string[] = [];
  const bodies = elements.map((element, index) => {
    if (typeof element === 'string') return element;
    if (element !== null && typeof element === 'object' && !Array.isArray(element)) return JSON.stringify(element);
    problems.push(`[${index}]: an event is a JSON object, or a string sent as is; got ${element === null ? 'null' : typeof element}`);
    return '';
  });
  if (problems.length > 0) throw new InputFileError(source, problems);
  if (bodies.length === 0) throw new InputFileError(source, ['holds no event']);
  return bodies;
}

/**
 * Gives each JSON event body a fresh `eventId` (and `purchaseId`) by appending a run
 * suffix, so a file can be played again without being stopped as a duplicate. Bodies
 * that are not JSON objects are left alone.
 *
 * @example
 * withFreshIds(['{"eventId":"e-1"}'], 'r7')[0] // '{"eventId":"e-1.r7"}'
 */
export function withFreshIds(bodies: readonly string[], suffix: string): string[] {
  return bodies.map((body) => {
    let event: unknown;
    try {
      event = JSON.parse(body);
    } catch {
      return body;
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return body;
    const copy = { ...(event as Record<string, unknown>) };
    for (const key of ['eventId', 'purchaseId']) {
      if (typeof copy[key] === 'string') copy[key] = `${copy[key]}.${suffix}`;
    }
    return JSON.stringify(copy);
  });
}
