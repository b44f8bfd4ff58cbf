import type { IdentityService, IssuedUser } from './identity.service.js';

export interface DemoOrganisation {
  departments: { office: string; facilities: string; production: string };
  users: {
    inspector: IssuedUser;
    supervisor: IssuedUser;
    facilities: IssuedUser;
    production: IssuedUser;
  };
}

/**
 * A supervising office (督查办) with two responsible departments under it; an inspector and a supervisor in the
 * office (the supervisor heads it), and one user per department, who heads it. Used by `npm run demo` and by
 * the tests, so both exercise the same organisation.
 */
export async function seedDemoOrganisation(
  identity: IdentityService,
  // The demo's one shared password (not to be changed at first sign-in, so the console can be tried at once).
  demo: { password?: string } = {},
): Promise<DemoOrganisation> {
  const signIn = (username: string) => ({ username, password: demo.password, mustChangePassword: false });
  const office = await identity.createDepartment('Safety Supervision Office (安全督查办)');
  const facilities = await identity.createDepartment('Facilities Department (设施部)', office);
  const production = await identity.createDepartment('Production Department (生产部)', office);
  const users = {
    inspector: await identity.createUser('Li Wei (inspector)', 'inspector', office, undefined, signIn('li.wei')),
    supervisor: await identity.createUser('Zhang Min (supervisor)', 'supervisor', office, undefined, signIn('zhang.min')),
    facilities: await identity.createUser('Wang Fang (Facilities)', 'department', facilities, undefined, signIn('wang.fang')),
    production: await identity.createUser('Chen Jie (Production)', 'department', production, undefined, signIn('chen.jie')),
  };
  await identity.makeHead(office, users.supervisor.actor.userId);
  await identity.makeHead(facilities, users.facilities.actor.userId);
  await identity.makeHead(production, users.production.actor.userId);
  return { departments: { office, facilities, production }, users };
}
