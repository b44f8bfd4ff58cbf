import { InitialSchema1764115200000 } from './1764115200000-initial-schema.js';

/** Every migration, in order. Listed explicitly (no glob) so the same list works from source and from dist. */
export const MIGRATIONS = [InitialSchema1764115200000];
