import type { IncidentMember } from '../campaign/apology-plan';
import type { Incident } from '../incident';

/** How far the sweep of an incident's rows has got; `done` once every row was audited. */
export interface SweepProgress {
  readonly done: boolean;
  /** Index into the incident's list of days. */
  readonly dayIndex: number;
  readonly cursor?: string;
  /** Rows the sweep attached so far: about the incident's size (a plan's progress total). */
  readonly rows?: number;
}

/** A page of an incident's rows, in key order. */
export interface MemberPage {
  readonly members: readonly (IncidentMember & { readonly key: string })[];
  readonly cursor?: string;
}

/** An incident as stored, with its sweep progress. */
export interface StoredIncident extends Incident {
  readonly sweep: SweepProgress;
}

/** Declared incidents and the rows attached to them. */
export interface IncidentStore {
  /** Stores a new incident. @throws IncidentExistsError when the id is taken. */
  declare(incident: Incident): Promise<void>;
  get(incidentId: string): Promise<StoredIncident | undefined>;
  /** Every incident, oldest id first. */
  list(): Promise<StoredIncident[]>;
  saveSweep(incidentId: string, progress: SweepProgress): Promise<void>;
  /** Records who applied an import whose corrections the (corrections) incident holds (a set: once each). */
  addCorrectionsAppliedBy(incidentId: string, appliedBy: string): Promise<void>;
  /** Records who imported a send-log row the incident would apologise for (a set: once each). */
  addRowsImportedBy(incidentId: string, importedBy: string): Promise<void>;
  /** Attaches an audited row (idempotent: the latest finding wins). */
  attach(incidentId: string, member: IncidentMember, at: string): Promise<void>;
  /** A page of the rows attached to the incident, after the key `after`. */
  memberPage(incidentId: string, after: string | undefined, limit: number): Promise<MemberPage>;
  /** The UTC days on which notices from `source` were imported. */
  sourceDays(source: string): Promise<string[]>;
}
