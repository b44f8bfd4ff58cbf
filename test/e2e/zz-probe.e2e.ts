import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { ProblemSteps } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';
describe('probe', () => {
  let t: TestApp; let s: ProblemSteps;
  beforeAll(async () => { t = await createTestApp(); s = new ProblemSteps(t); });
  afterAll(async () => { await t.close(); });
  it('probes', async () => {
    const out: unknown[] = [];
    const log = (label: string, r: any) => out.push([label, r.status, r.body]);
    for (const [ct, raw] of [['application/json','[]'],['application/json','[{"title":"x"}]'],['text/plain', JSON.stringify(aFiling())],['application/json','"abc"'],['application/json','null']]) {
      log(raw.slice(0,20)+ct, await t.http().post('/problems').auth(t.tokens.inspector,{type:'bearer'}).set('Content-Type', ct).send(raw));
    }
    const filing = JSON.stringify(aFiling()).replace(/^\{/, '{"__proto__": {"isAdmin": true},');
    log('proto', await t.http().post('/problems').auth(t.tokens.inspector,{type:'bearer'}).set('Content-Type','application/json').send(filing));
    log('qproto', await s.list('inspector', {'__proto__': 'x'} as any));
    log('qproto2', await t.http().get('/problems?__proto__=x&constructor=y').auth(t.tokens.inspector,{type:'bearer'}));
    log('qarr', await t.http().get('/problems?state=found&state=assigned').auth(t.tokens.inspector,{type:'bearer'}));
    log('qbr', await t.http().get('/problems?state[a]=found').auth(t.tokens.inspector,{type:'bearer'}));
    log('noroute-notoken', await t.http().get('/nowhere'));
    log('docs', await t.http().get('/docs-json').then(r => ({status: r.status, body: Object.keys(r.body.paths ?? {})})));
    const f = await s.file('inspector', {title: 'Ünïcode ÉCOLE'});
    log('uni', await s.list('inspector', {text: 'école'}));
    log('evarr', await t.http().post(`/problems/${f.body.id}/events`).auth(t.tokens.inspector,{type:'bearer'}).set('Content-Type','application/json').send('[]'));
    log('evnobody', await t.http().post(`/problems/${f.body.id}/events`).auth(t.tokens.inspector,{type:'bearer'}));
    log('upper', await s.get('inspector', f.body.id.toUpperCase()));
    log('cl', await t.http().post('/problems').auth(t.tokens.inspector,{type:'bearer'}).set('Content-Type','application/json; charset=utf-16').send('{}'));
    console.log(JSON.stringify(out, null, 1));
  });
});
