import { DomainError } from '#domain';

/** The DomainError `work` is refused with; fails when it succeeds or throws anything else. */
export async function refusal(work: () => Promise<unknown>): Promise<DomainError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
