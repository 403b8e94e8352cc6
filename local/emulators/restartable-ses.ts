import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from './ports';
import { Reaper } from './reaper';
import { startSes } from './ses';
import type { StartedEmulator } from './types';

/**
 * An SES emulator process that may be killed and restarted (fault tests, the outage bench),
 * apart from the shared one. The port stays the same across restarts, and so does the mail it
 * took: it keeps a journal, as real SES does not forget an email it accepted because one of
 * its hosts died.
 *
 * @example
 * const ses = await RestartableSes.start();
 * await ses.kill(); // connections refused from here on
 * await ses.restart();
 */
export class RestartableSes {
  private running: StartedEmulator | undefined;

  private constructor(
    readonly port: number,
    private readonly journalDir: string,
    private readonly reaper: Reaper,
  ) {}

  /** Starts one on a free port. */
  static async start(): Promise<RestartableSes> {
    const own = new RestartableSes(await findFreePort(), mkdtempSync(path.join(tmpdir(), 'restartable-ses-')), new Reaper());
    await own.restart();
    return own;
  }

  /** Its endpoint, e.g. for `AWS_ENDPOINT_URL_SESV2`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Ends the process on the spot: SIGTERM, which aws-ses-v2-local does not handle, so it
   * dies as under SIGKILL, without answering what it is serving. From here on connections
   * are refused.
   */
  async kill(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }

  /** Starts it again on the same port with the mail it had. */
  async restart(): Promise<void> {
    this.running = await startSes({
      port: this.port,
      log: () => undefined,
      reaper: this.reaper,
      timeoutMs: 30_000,
      journalFile: path.join(this.journalDir, 'mail.jsonl'),
    });
  }

  /** Message ids of every email it took, before and after restarts. */
  async messageIds(): Promise<string[]> {
    const response = await fetch(`${this.url}/store`);
    const { emails } = (await response.json()) as { emails: { messageId: string }[] };
    return emails.map((e) => e.messageId);
  }

  /** Stops it for good and removes its journal. */
  async stop(): Promise<void> {
    await this.kill();
    this.reaper.close();
    rmSync(this.journalDir, { recursive: true, force: true });
  }
}
