import type { Catalog } from '../catalog';
import { admin } from './admin';
import { common } from './common';
import { dashboard } from './dashboard';
import { department } from './department';
import { events } from './events';
import { fields } from './fields';
import { inspections } from './inspections';
import { problems } from './problems';
import { sheets } from './sheets';
import { supervision } from './supervision';

/**
 * Every area's catalog. An area of the console adds its own file here (admin.ts, supervision.ts …), so screens
 * built side by side never edit one shared file.
 */
export const CATALOGS = { common, events, fields, problems, inspections, supervision, dashboard, sheets, department, admin } satisfies Record<string, Catalog<string>>;

type KeysOf<C> = C extends Catalog<infer K> ? K : never;
export type MessageKey = { [A in keyof typeof CATALOGS]: KeysOf<(typeof CATALOGS)[A]> }[keyof typeof CATALOGS];
