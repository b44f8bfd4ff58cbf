import type { Readable } from 'node:stream';
import type { EvidenceKind } from '#rectification';

/** One evidence file of a problem (the file itself lives in the content store under its SHA-256). */
export interface EvidenceRecord {
  id: string;
  problemId: string;
  kind: EvidenceKind;
  sha256: string;
  size: number;
  mediaType: string;
  originalName: string;
  uploadedBy: string;
  uploadedAt: string;
  /** The problem version whose SUBMIT carried it; set once, and from then on it is part of the record. */
  submittedInVersion: number | null;
}

/** Port: evidence rows. Rows are never deleted. */
export abstract class EvidenceRepository {
  abstract insert(record: EvidenceRecord): Promise<void>;

  /** A problem's evidence, oldest first. */
  abstract listFor(problemId: string): Promise<EvidenceRecord[]>;

  abstract find(problemId: string, evidenceId: string): Promise<EvidenceRecord | null>;

  /** Evidence of `kind` no submission has carried yet, oldest first. */
  abstract unsubmitted(problemId: string, kind: EvidenceKind): Promise<EvidenceRecord[]>;

  abstract countWithSha256(sha256: string): Promise<number>;

  /** Every row, by id, a page at a time (for the integrity check). */
  abstract page(after: string | null, limit: number): Promise<EvidenceRecord[]>;
}

/** Port: the content-addressed file store. */
export abstract class EvidenceContentStore {
  /** Stores the content once under its SHA-256 (atomically); `created` is false when it was already there. */
  abstract put(content: Buffer): Promise<{ sha256: string; created: boolean }>;

  /** Removes stored content (only used to undo a put whose row could not be written). */
  abstract remove(sha256: string): Promise<void>;

  abstract open(sha256: string): Readable;

  /** Whether content is stored under `sha256` (checked before a download starts, so a gone file is a clear answer). */
  abstract has(sha256: string): Promise<boolean>;

  /** SHA-256 of what is stored under `sha256` now, or null when the file is missing. */
  abstract rehash(sha256: string): Promise<string | null>;
}
