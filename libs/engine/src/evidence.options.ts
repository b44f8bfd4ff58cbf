/**
 * Where evidence content is kept (EVIDENCE_STORE): files under EVIDENCE_DIR, or rows of the database itself (which
 * every server of a database reaches without a shared directory).
 */
export const EVIDENCE_STORE_KINDS = ['file', 'database'] as const;
export type EvidenceStoreKind = (typeof EVIDENCE_STORE_KINDS)[number];

/** Where evidence files live and what is accepted (EVIDENCE_* settings). Plain data: the config lib reads it too. */
export interface EvidenceOptions {
  store: EvidenceStoreKind;
  /** The file store, content-addressed: `<dir>/sha256/ab/cdef…`. */
  dir: string;
  maxBytes: number;
  /** Accepted media types (the content is sniffed too, where its format has a signature). */
  allowedTypes: string[];
  /** Whether the policy's evidence requirements (SUBMIT needs a rectification file) apply. */
  requiredForSubmit: boolean;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const DEFAULT_EVIDENCE_OPTIONS: EvidenceOptions = {
  store: 'file',
  dir: './data/evidence',
  maxBytes: 20 * 1024 * 1024,
  allowedTypes: ['image/jpeg', 'image/png', 'application/pdf', 'text/plain', DOCX_TYPE, XLSX_TYPE],
  requiredForSubmit: true,
};

export const EVIDENCE_OPTIONS = Symbol('EVIDENCE_OPTIONS');
