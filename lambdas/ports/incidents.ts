import type { IncidentMember } from '../domain/audit/apology-plan';
import type { Incident } from '../domain/audit/incident';

/** How far the sweep of an incident's rows has got; `done` once every row was audited. */
export interface SweepProgress {
  readonly done: boolean;
  /** Index into the incident's list of days. */
  readonly dayIndex: number;
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
  /** Attaches an audited row (idempotent: the latest finding wins). */
  attach(incidentId: string, member: IncidentMember, at: string): Promise<void>;
  /** Every row attached to the incident. */
  members(incidentId: string): Promise<IncidentMember[]>;
  /** The UTC days on which notices from `source` were imported. */
  sourceDays(source: string): Promise<string[]>;
}
