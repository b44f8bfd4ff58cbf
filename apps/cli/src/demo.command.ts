import type { INestApplicationContext } from '@nestjs/common';
import { type Actor, Clock } from '#domain';
import { EvidenceService, InspectionService, RectificationEngine } from '#engine';
import { generatePassword, IdentityService, seedDemoOrganisation } from '#identity';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Seeds the demo organisation and a handful of problems in different states, through the engine, so their
 * histories are real. Prints every demo user's token (shown once; only hashes are stored).
 */
export async function runDemo(context: INestApplicationContext, bootstrapAdminToken?: string): Promise<void> {
  const identity = context.get(IdentityService);
  const engine = context.get(RectificationEngine);
  const evidence = context.get(EvidenceService);
  // The department's "after" evidence, which a submission of a general-or-worse problem must carry.
  const photo = (problemId: string, note: string) =>
    evidence.upload(as(facilities), problemId, {
      kind: 'rectification',
      content: Buffer.from(`${note}\n`),
      declaredType: 'text/plain',
      originalName: 'rectification-note.txt',
    });
  const clock = context.get(Clock);
  const admin = await identity.bootstrapAdmin(bootstrapAdminToken);
  const demoPassword = generatePassword();
  const org = await seedDemoOrganisation(identity, { password: demoPassword });
  const { inspector, supervisor, facilities, production } = org.users;
  const inDays = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString();
  const as = (user: { actor: Actor }) => user.actor;
  // The inspection the demo problems are found under: the inspector runs it, the supervisor is on its team.
  const inspection = await context.get(InspectionService).create(as(inspector), {
    reference: 'INSP-DEMO-001',
    title: 'Quarterly safety inspection (季度安全检查)',
    kind: 'safety',
    inspectedDepartmentIds: [org.departments.facilities, org.departments.production],
    memberIds: [supervisor.actor.userId],
  });

  const file = (title: string, severity: 'minor' | 'general' | 'major' | 'critical', location: string, category: string) =>
    engine.file(as(inspector), {
      title,
      description: `${title} — found during the quarterly safety inspection.`,
      category,
      severity,
      location,
      inspectionId: inspection.id,
      requirement: 'Rectify and provide before/after evidence.',
    });

  const found = await file('Emergency lighting out in stairwell B', 'general', 'Building 2, stairwell B', 'fire-safety');

  const assigned = await file('Expired fire extinguishers on floor 3', 'major', 'Building 1, floor 3', 'fire-safety');
  await engine.send(as(inspector), assigned.id, { type: 'ASSIGN', departmentId: org.departments.facilities, deadline: inDays(14) });

  const rectifying = await file('Guard missing on conveyor belt 4', 'critical', 'Workshop A, line 4', 'machine-safety');
  await engine.send(as(supervisor), rectifying.id, { type: 'ASSIGN', departmentId: org.departments.production, deadline: inDays(5) });
  await engine.send(as(production), rectifying.id, {
    type: 'START',
    measures: 'Fit a fixed guard; stop the line until fitted.',
    responsiblePerson: 'Chen Jie',
    plannedCompletionDate: inDays(3).slice(0, 10),
  });
  await engine.send(as(production), rectifying.id, { type: 'REPORT_PROGRESS', note: 'Guard ordered, line stopped', percent: 30 });

  const awaiting = await file('Chemical store lacks spill kit', 'major', 'Chemical store', 'hazardous-materials');
  await engine.send(as(inspector), awaiting.id, { type: 'ASSIGN', departmentId: org.departments.facilities, deadline: inDays(10) });
  await engine.send(as(facilities), awaiting.id, {
    type: 'START',
    measures: 'Buy and mount a spill kit; train staff.',
    responsiblePerson: 'Wang Fang',
    plannedCompletionDate: inDays(7).slice(0, 10),
  });
  await photo(awaiting.id, 'Spill kit mounted at the chemical store door; training list attached.');
  await engine.send(as(facilities), awaiting.id, { type: 'SUBMIT', summary: 'Spill kit mounted, 6 staff trained.' });

  const closed = await file('Blocked fire exit in warehouse 3', 'major', 'Warehouse 3, east exit', 'fire-safety');
  await engine.send(as(inspector), closed.id, { type: 'ASSIGN', departmentId: org.departments.facilities, deadline: inDays(7) });
  await engine.send(as(facilities), closed.id, {
    type: 'START',
    measures: 'Move pallets to rack B; paint keep-clear zone.',
    responsiblePerson: 'Wang Fang',
    plannedCompletionDate: inDays(2).slice(0, 10),
  });
  await photo(closed.id, 'Pallets moved to rack B; the east exit is clear.');
  await engine.send(as(facilities), closed.id, { type: 'SUBMIT', summary: 'Exit cleared.' });
  await engine.send(as(inspector), closed.id, { type: 'REJECT', reason: 'Keep-clear zone not painted.' });
  await photo(closed.id, 'Keep-clear zone painted in front of the east exit.');
  await engine.send(as(facilities), closed.id, { type: 'SUBMIT', summary: 'Exit cleared and zone painted.' });
  await engine.send(as(inspector), closed.id, { type: 'APPROVE', comment: 'Checked on site.' });
  await engine.send(as(supervisor), closed.id, { type: 'CLOSE', comment: '销号' });

  const lines = [
    '',
    'Demo organisation created.',
    `  Safety Supervision Office   ${org.departments.office}`,
    `    Facilities Department     ${org.departments.facilities}`,
    `    Production Department     ${org.departments.production}`,
    `  Inspection ${inspection.reference}     ${inspection.id}`,
    '',
    'API tokens (shown once):',
    ...(admin ? [`  ADMIN_TOKEN=${bootstrapAdminToken ? '(your BOOTSTRAP_ADMIN_TOKEN)' : admin.token}`] : []),
    `  INSPECTOR_TOKEN=${inspector.token}`,
    `  SUPERVISOR_TOKEN=${supervisor.token}`,
    `  FACILITIES_TOKEN=${facilities.token}`,
    `  PRODUCTION_TOKEN=${production.token}`,
    `  FACILITIES_DEPT=${org.departments.facilities}`,
    `  PRODUCTION_DEPT=${org.departments.production}`,
    '',
    'Signing in (the console; shown once):',
    ...(admin ? [`  admin / ${admin.password}   (one-time: change it at first sign-in)`] : []),
    `  ${[inspector, supervisor, facilities, production].map((user) => user.username).join(', ')} / ${demoPassword}   (the demo's shared password)`,
    '',
    'Problems (one per state):',
    `  found                         ${found.id}`,
    `  assigned                      ${assigned.id}`,
    `  rectifying.inProgress         ${rectifying.id}`,
    `  rectifying.awaitingVerification ${awaiting.id}`,
    `  closed                        ${closed.id}`,
    '',
    'Tip: paste the NAME=value lines above into your shell (prefix them with `export`) and follow the README walkthrough.',
    '',
  ];
  console.log(lines.join('\n'));
}
