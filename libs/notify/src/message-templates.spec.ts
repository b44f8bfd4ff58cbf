import { describe, expect, it } from '@jest/globals';
import MarkdownIt from 'markdown-it';
import { NOTIFIABLE_EVENTS } from '#rectification';
import {
  renderBurstDigest,
  renderCoverageWarning,
  renderDailyDigest,
  renderEventMessage,
  renderTestMessage,
  TITLE_MAX_CHARS,
  type EventFacts,
  type Language,
  type MessageContent,
  type ProblemFacts,
} from './message-templates.js';

const options = { consoleUrl: 'https://console.example.cn/', timeZone: 'Asia/Shanghai' };
const problem: ProblemFacts = {
  id: 'p-1',
  title: '消防通道堵塞',
  severity: 'critical',
  inspectionRef: 'INS-2026-03',
  departmentName: '后勤保障部',
  deadline: '2026-03-20T10:00:00.000Z',
  stateDetail: 'rectifying.inProgress',
  escalationLevel: 2,
};
const escalated: EventFacts = { type: 'problem.escalated', level: 2, occurredAt: '2026-03-23T01:30:00.000Z', actorName: null, note: null };

// What a robot or mail client would make of our markdown: CommonMark with raw HTML recognised, so a tag that got
// through unescaped shows up as an html token.
const commonMark = new MarkdownIt({ html: true });
interface MarkdownShape {
  links: string[];
  headings: string[];
  html: string[];
  images: number;
  /** Block structures: lists and quotes. */
  blocks: string[];
  text: string;
}
function shapeOf(markdown: string): MarkdownShape {
  const shape: MarkdownShape = { links: [], headings: [], html: [], images: 0, blocks: [], text: '' };
  const walk = (tokens: ReturnType<typeof commonMark.parse>): void => {
    for (const token of tokens) {
      if (token.type === 'link_open') shape.links.push(String(token.attrGet('href') ?? ''));
      if (token.type === 'heading_open') shape.headings.push(token.tag);
      if (token.type === 'html_inline' || token.type === 'html_block') shape.html.push(token.content);
      if (token.type === 'image') shape.images += 1;
      if (['bullet_list_open', 'ordered_list_open', 'blockquote_open', 'table_open', 'hr', 'code_block', 'fence'].includes(token.type)) {
        shape.blocks.push(token.type);
      }
      if (token.type === 'text' || token.type === 'text_special') shape.text += token.content;
      if (token.children) walk(token.children);
    }
  };
  walk(commonMark.parse(markdown, {}));
  return shape;
}
const ALLOWED_TAGS = new Set(['div', 'h2', 'h3', 'p', 'table', 'tr', 'th', 'td', 'a', 'ol', 'li']);
const tagsOf = (html: string): string[] => [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1].toLowerCase());
const hrefsOf = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const hostile = {
  title: '<script>alert(1)</script> [点此](https://evil.example) ![x](https://evil.example/x.png) **急** `code` @13800000000\n# 标题\u202Egnp.exe\u0007',
  department: '<img src=x onerror=alert(1)> & 部门 <@all>',
  note: '@所有人 请看 <a href="https://evil.example">这里</a>\r\n> 引用 | 表格 |',
};

function expectSafe(content: MessageContent, allowedLinks: (string | null)[]): void {
  const markdown = shapeOf(content.markdown);
  expect(markdown.html).toEqual([]);
  expect(markdown.images).toBe(0);
  expect(markdown.links.every((href) => allowedLinks.includes(href))).toBe(true);
  expect(markdown.headings).toEqual(['h4']);
  expect(content.markdown).not.toContain('@');
  expect(tagsOf(content.html).every((tag) => ALLOWED_TAGS.has(tag))).toBe(true);
  expect(hrefsOf(content.html).every((href) => allowedLinks.includes(href))).toBe(true);
  for (const field of [content.title, content.text, content.markdown, content.html]) expect(field).not.toMatch(CONTROL);
  expect(content.title).not.toContain('\n');
}

describe(renderEventMessage.name, () => {
  it('names the ladder step the policy gives it beside its level, and not twice when it is named by its level', () => {
    const summons = renderEventMessage({ ...escalated, level: 4, step: '约谈' }, problem, 'zh', options);
    expect(summons.title).toBe('【督办·四级（约谈）】消防通道堵塞');
    expect(summons.text).toContain('现启动四级督办（约谈）');
    expect(renderEventMessage({ ...escalated, level: 4, step: '约谈' }, problem, 'en', options).text).toContain('escalated to level 4 (约谈)');
    expect(renderEventMessage({ ...escalated, step: '二级督办' }, problem, 'zh', options).title).toBe('【督办·二级】消防通道堵塞');
  });

  it('writes an escalation in Chinese as a supervision notice, deadline on the Beijing clock', () => {
    // when
    const message = renderEventMessage(escalated, problem, 'zh', options);
    // then
    expect(message.title).toBe('【督办·二级】消防通道堵塞');
    expect(message.link).toBe('https://console.example.cn/problems/p-1');
    expect(message.linkLabel).toBe('查看问题');
    expect(message.text).toContain('现启动二级督办');
    expect(message.text).toContain('整改期限：2026-03-20 18:00');
    expect(message.text).toContain('严重程度：重大');
    expect(message.text).toContain('责任单位：后勤保障部');
    expect(message.text).toContain('当前状态：整改中');
    expect(message.text).toContain('时间：2026-03-23 09:30');
    expect(message.markdown).toContain('- **整改期限**：2026-03-20 18:00');
    // the link is the channel's to add (a button, a link line): the markdown body carries none
    expect(shapeOf(message.markdown).links).toEqual([]);
    expect(message.link).toBe('https://console.example.cn/problems/p-1');
    expect(message.html).toContain('<div lang="zh-CN"');
    expect(message.html).toContain('<a href="https://console.example.cn/problems/p-1">查看问题</a>');
    expect(message.html).toContain('2026-03-20 18:00');
  });

  it('names the traffic light the event left the problem with, and nothing when it has none', () => {
    expect(renderEventMessage(escalated, { ...problem, light: 'black' }, 'zh', options).text).toContain('灯色：黑灯');
    expect(renderEventMessage(escalated, { ...problem, light: 'red' }, 'en', options).text).toContain('Light: red');
    expect(renderEventMessage(escalated, { ...problem, light: null }, 'zh', options).text).not.toContain('灯色');
  });

  it('writes the same in English', () => {
    // when
    const message = renderEventMessage(escalated, problem, 'en', options);
    // then
    expect(message.title).toBe('[Escalation level 2] 消防通道堵塞');
    expect(message.text).toContain('escalated to level 2');
    expect(message.text).toContain('Deadline: 2026-03-20 18:00');
    expect(message.text).toContain('Severity: critical');
    expect(message.text).toContain('State: being rectified');
    expect(message.linkLabel).toBe('Open the problem');
    expect(message.html).toContain('<div lang="en"');
    // The tag's brackets are text, not a link reference.
    expect(shapeOf(message.markdown).text).toContain('[Escalation level 2] 消防通道堵塞');
  });

  it.each(NOTIFIABLE_EVENTS.flatMap((type) => (['zh', 'en'] as Language[]).map((language) => [type, language] as const)))(
    'has its own wording for %s in %s',
    (type, language) => {
      const message = renderEventMessage({ ...escalated, type }, problem, language, options);
      expect(message.title).not.toMatch(language === 'zh' ? /^【通知】/ : /^\[Notice\]/);
      expect(message.title).not.toContain('{level}');
      expect(message.text).not.toContain('{level}');
    },
  );

  it('gives every event a distinct title tag in both languages', () => {
    for (const language of ['zh', 'en'] as Language[]) {
      const tags = NOTIFIABLE_EVENTS.map((type) => renderEventMessage({ ...escalated, type }, problem, language, options).title);
      expect(new Set(tags).size).toBe(NOTIFIABLE_EVENTS.length);
    }
  });

  it("takes the event's level, and the problem's when the event has none", () => {
    expect(renderEventMessage({ ...escalated, level: 3 }, problem, 'zh', options).title).toBe('【督办·三级】消防通道堵塞');
    expect(renderEventMessage({ ...escalated, level: null }, problem, 'en', options).title).toBe('[Escalation level 2] 消防通道堵塞');
  });

  it('shows who acted and why, and what is not known yet', () => {
    // given
    const rejected: EventFacts = { type: 'problem.extension_rejected', level: null, occurredAt: escalated.occurredAt, actorName: '王督查', note: '理由不充分' };
    const unassigned = { ...problem, departmentName: null, deadline: null, escalationLevel: 0 };
    // when
    const message = renderEventMessage(rejected, unassigned, 'zh', options);
    // then
    expect(message.title).toBe('【延期未批准】消防通道堵塞');
    expect(message.text).toContain('操作人：王督查');
    expect(message.text).toContain('说明：理由不充分');
    expect(message.text).toContain('责任单位：未指派');
    expect(message.text).toContain('整改期限：未设定');
    expect(message.text).not.toContain('督办级别');
  });

  it('falls back to a neutral notice for an event it does not know', () => {
    expect(renderEventMessage({ ...escalated, type: 'problem.something_new' }, problem, 'zh', options).title).toBe('【通知】消防通道堵塞');
    expect(renderEventMessage({ ...escalated, type: 'constructor' }, problem, 'en', options).title).toBe('[Notice] 消防通道堵塞');
  });

  it('has no link without a console address, and never a double slash with one', () => {
    // when
    const without = renderEventMessage(escalated, problem, 'zh', { ...options, consoleUrl: null });
    const withPath = renderEventMessage(escalated, { ...problem, id: 'a b/c' }, 'en', { ...options, consoleUrl: 'https://x.example/console//' });
    // then
    expect(without.link).toBeNull();
    expect(without.text).not.toContain('查看问题');
    expect(shapeOf(without.markdown).links).toEqual([]);
    expect(without.html).not.toContain('<a ');
    expect(withPath.link).toBe('https://x.example/console/problems/a%20b%2Fc');
  });

  it('escapes hostile user text in every format and in both languages', () => {
    // given
    const bad: ProblemFacts = { ...problem, title: hostile.title, departmentName: hostile.department };
    const event: EventFacts = { ...escalated, actorName: '@张三', note: hostile.note };
    for (const language of ['zh', 'en'] as Language[]) {
      // when
      const message = renderEventMessage(event, bad, language, options);
      // then
      expectSafe(message, [message.link]);
      expect(message.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(message.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; 部门');
      // The words survive, only as text: nothing a user typed is lost but the controls.
      const shown = shapeOf(message.markdown).text;
      expect(shown).toContain('<script>alert(1)</script> [点此](https://evil.example) ![x](https://evil.example/x.png) **急** `code` ＠13800000000 # 标题 gnp.exe');
      expect(shown).toContain('<img src=x onerror=alert(1)> & 部门 <＠all>');
      expect(shown).toContain('＠张三');
    }
  });

  it(`cuts a long title to ${TITLE_MAX_CHARS} characters`, () => {
    // given
    const long = { ...problem, title: '隐'.repeat(300) };
    // when
    const message = renderEventMessage({ ...escalated, type: 'problem.overdue' }, long, 'zh', options);
    // then
    const cut = message.title.slice('【已逾期】'.length);
    expect(Array.from(cut)).toHaveLength(TITLE_MAX_CHARS);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe(renderBurstDigest.name, () => {
  const items = [
    { title: '【督办·二级】消防通道堵塞', link: 'https://console.example.cn/problems/p-1' },
    { title: '[Overdue] <b>bold</b> @all', link: 'https://console.example.cn/problems/p-2' },
    { title: '【已逾期】无链接', link: null },
    { title: 'javascript link', link: 'javascript:alert(1)' },
  ];

  it('lists the folded messages, each linking to its problem (zh)', () => {
    // when
    const digest = renderBurstDigest(items, 'zh');
    // then
    expect(digest.title).toBe('【合并通知】4 条通知合并发送');
    expect(digest.link).toBe('https://console.example.cn/problems');
    const shape = shapeOf(digest.markdown);
    expect(shape.links).toEqual(['https://console.example.cn/problems/p-1', 'https://console.example.cn/problems/p-2']);
    expect(shape.text).toContain('【督办·二级】消防通道堵塞');
    expect(digest.text).toContain('1. 【督办·二级】消防通道堵塞 https://console.example.cn/problems/p-1');
    expect(digest.text).toContain('3. 【已逾期】无链接');
    expect(digest.html.match(/<li>/g)).toHaveLength(4);
  });

  it('is escaped and in English', () => {
    // when
    const digest = renderBurstDigest(items, 'en');
    // then
    expect(digest.title).toBe('[Digest] 4 notifications sent together');
    expectSafe(digest, ['https://console.example.cn/problems/p-1', 'https://console.example.cn/problems/p-2', 'https://console.example.cn/problems']);
    expect(digest.html).toContain('[Overdue] &lt;b&gt;bold&lt;/b&gt; @all');
    expect(digest.html).not.toContain('javascript:');
  });

  it('refuses an empty digest', () => {
    expect(() => renderBurstDigest([], 'zh')).toThrow(RangeError);
  });
});

describe(renderDailyDigest.name, () => {
  const overdue = (index: number): ProblemFacts => ({ ...problem, id: `o-${index}`, title: `逾期问题 ${index}`, escalationLevel: 0 });

  it('lists the sections that have problems, in Chinese, with "and N more" past the limit', () => {
    // given
    const sections = {
      dueToday: [{ ...problem, id: 'd-1', title: '今日到期问题', deadline: '2026-03-23T10:00:00.000Z', escalationLevel: 0 }],
      overdue: Array.from({ length: 5 }, (_, i) => overdue(i + 1)),
      escalated: [problem],
      awaitingDecision: [],
    };
    // when
    const digest = renderDailyDigest('李主任', '2026-03-23', sections, 'zh', { ...options, maxItemsPerSection: 3 });
    // then
    expect(digest.title).toBe('【每日督办提醒】2026-03-23');
    expect(digest.link).toBe('https://console.example.cn/problems');
    expect(digest.text).toContain('李主任，您好');
    expect(digest.text).toContain('今日到期（1）');
    expect(digest.text).toContain('1. 今日到期问题 · 后勤保障部 · 整改期限 2026-03-23 18:00 https://console.example.cn/problems/d-1');
    expect(digest.text).toContain('已逾期（5）');
    expect(digest.text).toContain('3. 逾期问题 3');
    expect(digest.text).not.toContain('逾期问题 4');
    expect(digest.text).toContain('另有 2 项未列出');
    expect(digest.text).toContain('督办中（1）');
    expect(digest.text).toContain('二级督办');
    expect(digest.text).not.toContain('待您审核');
    const shape = shapeOf(digest.markdown);
    expect(shape.links).toContain('https://console.example.cn/problems/o-3');
    expect(shape.links).not.toContain('https://console.example.cn/problems/o-4');
    expect(digest.link).toBe('https://console.example.cn/problems');
    expect(shape.links).not.toContain('https://console.example.cn/problems');
  });

  it('writes the same in English, 20 items a section by default', () => {
    // given
    const sections = { dueToday: [], overdue: Array.from({ length: 25 }, (_, i) => overdue(i + 1)), escalated: [], awaitingDecision: [problem] };
    // when
    const digest = renderDailyDigest('Director Li', '2026-03-23', sections, 'en', options);
    // then
    expect(digest.title).toBe('[Daily digest] 2026-03-23');
    expect(digest.text).toContain('Overdue (25)');
    expect(digest.text).toContain('20. 逾期问题 20');
    expect(digest.text).not.toContain('逾期问题 21');
    expect(digest.text).toContain('and 5 more');
    expect(digest.text).toContain('Waiting for your decision (1)');
    expect(digest.text).toContain('escalation level 2');
    expect(digest.text).not.toContain('Due today');
  });

  it('still says something when nothing is due', () => {
    const empty = { dueToday: [], overdue: [], escalated: [], awaitingDecision: [] };
    expect(renderDailyDigest('李主任', '2026-03-23', empty, 'zh', options).text).toContain('今日没有到期、逾期、督办中或待您审核的问题。');
    expect(renderDailyDigest('Li', '2026-03-23', empty, 'en', options).text).toContain('Nothing is due');
  });

  it('escapes hostile names and titles', () => {
    // given
    const bad = { ...problem, title: hostile.title, departmentName: hostile.department };
    const sections = { dueToday: [bad], overdue: [bad], escalated: [], awaitingDecision: [] };
    for (const language of ['zh', 'en'] as Language[]) {
      // when
      const digest = renderDailyDigest('<b>@李</b>\n# x', '2026-03-23', sections, language, options);
      // then
      expectSafe(digest, ['https://console.example.cn/problems/p-1', 'https://console.example.cn/problems']);
      expect(digest.html).toContain('&lt;b&gt;@李&lt;/b&gt; # x');
    }
  });

  it.each(['- 张三', '+ 张三', '1. 张三', '2) 张三', '# 张三', '> 张三', '===', '    张三', '```js'])(
    'does not let a name opening a line (%j) start a block',
    (name) => {
      // given a greeting that opens its line with the name, and nothing else listed
      const empty = { dueToday: [], overdue: [], escalated: [], awaitingDecision: [] };
      // when
      const shape = shapeOf(renderDailyDigest(name, '2026-03-23', empty, 'zh', options).markdown);
      // then
      expect(shape.blocks).toEqual([]);
      expect(shape.headings).toEqual(['h4']);
      expect(shape.text).toContain(`${name.trim()}，您好`);
    },
  );

  it('refuses a date that is not YYYY-MM-DD', () => {
    const empty = { dueToday: [], overdue: [], escalated: [], awaitingDecision: [] };
    expect(() => renderDailyDigest('Li', '2026-3-23', empty, 'en', options)).toThrow(RangeError);
  });
});

describe(renderCoverageWarning.name, () => {
  it('tells admins in Chinese when the holiday data runs out and what to do', () => {
    // when
    const warning = renderCoverageWarning('中国大陆 2026', '2026-12-31', 45, 'zh', { consoleUrl: 'https://console.example.cn' });
    // then
    expect(warning.title).toBe('【工作日历提醒】节假日数据将于 2026-12-31 到期');
    expect(warning.text).toContain('工作日历「中国大陆 2026」的法定节假日安排截至 2026-12-31，还剩 45 天。');
    expect(warning.text).toContain('.ics');
    expect(warning.text).toContain('调休');
    expect(warning.link).toBe('https://console.example.cn/admin/calendar');
  });

  it('says so in English, and in the past once the data has ended', () => {
    // when
    const soon = renderCoverageWarning('China', '2026-12-31', 1, 'en', { consoleUrl: null });
    const past = renderCoverageWarning('China', '2026-12-31', 0, 'en', { consoleUrl: null });
    // then
    expect(soon.title).toBe('[Working calendar] Holiday data ends on 2026-12-31');
    expect(soon.text).toContain('1 day from now');
    expect(soon.text).toContain("next year's public holidays and make-up workdays are ignored");
    expect(soon.link).toBeNull();
    expect(past.title).toBe('[Working calendar] Holiday data ended on 2026-12-31');
  });

  it('escapes the calendar name', () => {
    const warning = renderCoverageWarning('<i>[cal](https://evil.example)</i>', '2026-12-31', 10, 'zh', { consoleUrl: 'https://console.example.cn' });
    expectSafe(warning, ['https://console.example.cn/admin/calendar']);
  });
});

describe(renderTestMessage.name, () => {
  it('names the channel and when it was sent, in both languages', () => {
    // when
    const zh = renderTestMessage('后勤部钉钉群', 'zh', '2026-03-23T01:30:00.000Z');
    const en = renderTestMessage('Logistics DingTalk', 'en', '2026-03-23T01:30:00.000Z');
    // then
    expect(zh.title).toBe('【测试消息】后勤部钉钉群');
    expect(zh.text).toContain('发送时间：2026-03-23T01:30:00.000Z');
    expect(en.title).toBe('[Test message] Logistics DingTalk');
    expect(en.text).toContain('Sent at: 2026-03-23T01:30:00.000Z');
    expect(zh.link).toBeNull();
  });

  it('escapes the channel name', () => {
    expectSafe(renderTestMessage('<script>x</script> @all [a](https://evil.example)\n## h', 'en', '2026-03-23T01:30:00.000Z'), []);
  });
});
