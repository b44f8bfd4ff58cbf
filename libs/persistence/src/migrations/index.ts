import { InitialSchema1764115200000 } from './1764115200000-initial-schema.js';
import { OrganisationAndAccess1764201600000 } from './1764201600000-organisation-and-access.js';

/** Every migration, in order. Listed explicitly (no glob) so the same list works from source and from dist. */
export const MIGRATIONS = [InitialSchema1764115200000, OrganisationAndAccess1764201600000];
