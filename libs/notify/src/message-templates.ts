import { DateTime } from 'luxon';
import { isLocalDate, toDate } from '#calendar';
import { chineseLevel, defaultStepName, type NotifiableEvent } from '#rectification';

/**
 * What a notification row stores, rendered once when the message is planned: a plain title (mail subject, robot
 * title), plain text, markdown (robots) and HTML (mail), in the recipient's language. Everything a user typed
 * (problem titles, department names, reasons, names) is hostile here: it is stripped of control characters and
 * escaped for each format, so a title cannot add a link, a heading, a tag or an @mention to a message that goes out
 * under the supervision office's name.
 */

export type Language = 'zh' | 'en';

export interface ProblemFacts {
  id: string;
  title: string;
  severity: string;
  inspectionRef: string;
  departmentName: string | null;
  deadline: string | null;
  stateDetail: string;
  escalationLevel: number;
  /** The traffic light (红黄绿灯) after the event, when the problem has one. */
  light?: string | null;
}

export interface EventFacts {
  /** A domain event name (NOTIFIABLE_EVENTS); an unknown one gets a neutral notice. */
  type: string;
  level: number | null;
  /** The escalation step's name in the policy (督办通知书, 约谈 …); null for other events and older escalations. */
  step?: string | null;
  occurredAt: string;
  actorName: string | null;
  /** The reason or comment the event carries, if any. */
  note: string | null;
}

/**
 * What a notification row stores. `text` and `markdown` end before the link: every channel adds `link` its own way
 * (a button on Feishu, a link line on DingTalk and WeCom, a line in the plain-text email); `html` carries it.
 */
export interface MessageContent {
  title: string;
  text: string;
  markdown: string;
  html: string;
  link: string | null;
  linkLabel: string;
}

export interface DailyDigestSections {
  dueToday: ProblemFacts[];
  overdue: ProblemFacts[];
  escalated: ProblemFacts[];
  awaitingDecision: ProblemFacts[];
}

export const TITLE_MAX_CHARS = 200;
const NOTE_MAX_CHARS = 500;
const NAME_MAX_CHARS = 100;
const DEFAULT_MAX_ITEMS_PER_SECTION = 20;

interface Wording {
  /** Leads the title; `{level}` is the escalation level (二级 / 2). */
  readonly tag: string;
  /** The first sentence of the body. */
  readonly lead: string;
}

/**
 * One entry per notifiable event, in the register of a supervision office (督办): short, formal, asking for action.
 * Typed over NotifiableEvent so a new event cannot be added to the routing without its wording.
 */
const EVENT_WORDING: { readonly [E in NotifiableEvent]: Readonly<Record<Language, Wording>> } = {
  'problem.filed': {
    zh: { tag: '【新问题】', lead: '检查发现以下问题，请及时确定整改责任单位并下达整改要求。' },
    en: { tag: '[New finding]', lead: 'The following problem has been filed. Please assign a responsible department and set the rectification requirements.' },
  },
  'problem.assigned': {
    zh: { tag: '【已指派】', lead: '贵单位被确定为以下问题的整改责任单位，请认真落实整改，按期完成。' },
    en: { tag: '[Assigned]', lead: 'Your department has been made responsible for rectifying the following problem. Please complete it by the deadline.' },
  },
  'problem.reassigned': {
    zh: { tag: '【已改派】', lead: '以下问题已改由贵单位负责整改，请认真落实，按期完成。' },
    en: { tag: '[Reassigned]', lead: 'The following problem has been reassigned to your department. Please complete it by the deadline.' },
  },
  'problem.deadline_approaching': {
    zh: { tag: '【即将到期】', lead: '以下问题整改期限即将届满，请抓紧落实，确保按期完成。' },
    en: { tag: '[Deadline approaching]', lead: 'The rectification deadline of the following problem is approaching. Please make sure it is completed in time.' },
  },
  'problem.overdue': {
    zh: { tag: '【已逾期】', lead: '以下问题已超过整改期限仍未完成，请立即整改，并说明逾期原因。' },
    en: { tag: '[Overdue]', lead: 'The following problem has passed its rectification deadline. Please rectify it at once and explain the delay.' },
  },
  'problem.escalated': {
    zh: { tag: '【督办·{level}{step}】', lead: '以下问题逾期未完成整改，现启动{level}督办{step}。请高度重视，督促责任单位限期办结。' },
    en: { tag: '[Escalation level {level}{step}]', lead: 'The following problem is overdue and has been escalated to level {level}{step}. Please see that the responsible department completes it without further delay.' },
  },
  'problem.behind_plan': {
    zh: { tag: '【进度滞后】', lead: '以下问题整改进度落后于计划，请加快推进，确保按期完成。' },
    en: { tag: '[Behind plan]', lead: 'The rectification of the following problem has fallen behind its plan. Please speed it up so that it is completed in time.' },
  },
  'problem.verification_overdue': {
    zh: { tag: '【验证逾期】', lead: '以下问题已完成整改，验证已超过期限，请尽快组织验证。' },
    en: { tag: '[Verification overdue]', lead: 'The rectification of the following problem is waiting for verification past its deadline. Please verify it without delay.' },
  },
  'problem.extension_requested': {
    zh: { tag: '【延期申请】', lead: '责任单位申请延长以下问题的整改期限，请审核。' },
    en: { tag: '[Extension requested]', lead: 'The responsible department asks for a later rectification deadline for the following problem. Please decide.' },
  },
  'problem.extension_approved': {
    zh: { tag: '【延期已批准】', lead: '以下问题的延期申请已批准，请按新的期限完成整改。' },
    en: { tag: '[Extension approved]', lead: 'The extension for the following problem has been approved. Please complete it by the new deadline.' },
  },
  'problem.extension_rejected': {
    zh: { tag: '【延期未批准】', lead: '以下问题的延期申请未获批准，请按原定期限完成整改。' },
    en: { tag: '[Extension refused]', lead: 'The extension for the following problem has been refused. Please complete it by the original deadline.' },
  },
  'problem.suspension_requested': {
    zh: { tag: '【中止计时申请】', lead: '责任单位申请中止以下问题的整改计时，请审核。' },
    en: { tag: '[Suspension requested]', lead: 'The responsible department asks to stop the clock on the following problem. Please decide.' },
  },
  'problem.suspended': {
    zh: { tag: '【已中止计时】', lead: '以下问题的中止计时申请已批准，整改期限暂停计算。' },
    en: { tag: '[Suspended]', lead: 'The suspension of the following problem has been approved; its deadline is on hold.' },
  },
  'problem.suspension_rejected': {
    zh: { tag: '【中止计时未批准】', lead: '以下问题的中止计时申请未获批准，整改期限照常计算。' },
    en: { tag: '[Suspension refused]', lead: 'The suspension of the following problem has been refused; its deadline runs on.' },
  },
  'problem.rejected': {
    zh: { tag: '【验证未通过】', lead: '以下问题的整改经验证未通过，请按意见重新整改。' },
    en: { tag: '[Rectification rejected]', lead: 'The rectification of the following problem did not pass verification. Please rework it as noted.' },
  },
  'problem.closed': {
    zh: { tag: '【已销号】', lead: '以下问题整改已验证通过，予以销号。' },
    en: { tag: '[Closed]', lead: 'The rectification of the following problem has been verified and the problem is closed.' },
  },
  'problem.reopened': {
    zh: { tag: '【已重新打开】', lead: '以下已销号问题重新打开，请重新组织整改。' },
    en: { tag: '[Reopened]', lead: 'The following closed problem has been reopened. Please rectify it again.' },
  },
  'daily.digest': {
    zh: { tag: '【每日督办提醒】', lead: '以下是今日需要关注的整改事项。' },
    en: { tag: '[Daily digest]', lead: 'These are the rectifications that need your attention today.' },
  },
};

const UNKNOWN_EVENT: Readonly<Record<Language, Wording>> = {
  zh: { tag: '【通知】', lead: '以下问题有新的进展。' },
  en: { tag: '[Notice]', lead: 'There is news about the following problem.' },
};

const LABELS = {
  zh: {
    problem: '问题', severity: '严重程度', inspection: '检查', department: '责任单位', deadline: '整改期限',
    state: '当前状态', escalation: '督办级别', light: '灯色', actor: '操作人', note: '说明', occurredAt: '时间',
    unassigned: '未指派', noDeadline: '未设定', openProblem: '查看问题', openProblems: '查看全部问题',
  },
  en: {
    problem: 'Problem', severity: 'Severity', inspection: 'Inspection', department: 'Responsible department',
    deadline: 'Deadline', state: 'State', escalation: 'Escalation level', light: 'Light', actor: 'By', note: 'Note', occurredAt: 'At',
    unassigned: 'not assigned', noDeadline: 'not set', openProblem: 'Open the problem', openProblems: 'Open the problems',
  },
} as const;

export const SEVERITY_LABELS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  zh: { minor: '轻微', general: '一般', major: '较大', critical: '重大' },
  en: { minor: 'minor', general: 'general', major: 'major', critical: 'critical' },
};

const LIGHT_LABELS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  zh: { green: '绿灯', yellow: '黄灯', red: '红灯', black: '黑灯' },
  en: { green: 'green', yellow: 'yellow', red: 'red', black: 'black' },
};

const STATE_LABELS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  zh: {
    found: '待分派', assigned: '已分派', 'rectifying.inProgress': '整改中', 'rectifying.awaitingVerification': '待验收',
    rectifying: '整改中', verified: '已验收', closed: '已销号', cancelled: '已撤销',
  },
  en: {
    found: 'awaiting assignment', assigned: 'assigned', 'rectifying.inProgress': 'being rectified',
    'rectifying.awaitingVerification': 'awaiting verification', rectifying: 'being rectified', verified: 'verified',
    closed: 'closed', cancelled: 'cancelled',
  },
};

export function renderEventMessage(
  event: EventFacts,
  problem: ProblemFacts,
  language: Language,
  options: { consoleUrl: string | null; timeZone: string },
): MessageContent {
  const labels = LABELS[language];
  const level = Math.max(1, event.level ?? problem.escalationLevel);
  // Own keys only: an event named `constructor` is unknown, not Object's.
  const wording = Object.hasOwn(EVENT_WORDING, event.type) ? EVENT_WORDING[event.type as NotifiableEvent] : UNKNOWN_EVENT;
  const levelName = language === 'zh' ? chineseLevel(level) : String(level);
  // A step named other than by its level is said beside it: 督办·四级（约谈）; escalated to level 4 (约谈).
  const named = event.step && event.step !== defaultStepName(level) ? plainLine(event.step, NAME_MAX_CHARS) : null;
  const stepName = named === null ? '' : language === 'zh' ? `（${named}）` : ` (${named})`;
  const tag = wording[language].tag.replaceAll('{level}', levelName).replaceAll('{step}', stepName);
  const lead = wording[language].lead.replaceAll('{level}', levelName).replaceAll('{step}', stepName);
  const title = joinTag(tag, plainLine(problem.title, TITLE_MAX_CHARS), language);

  const fields: Field[] = [
    ...problemFields(problem, language, options.timeZone),
    ...(event.actorName ? [{ label: labels.actor, value: plainLine(event.actorName, NAME_MAX_CHARS) }] : []),
    ...(event.note ? [{ label: labels.note, value: plainLine(event.note, NOTE_MAX_CHARS) }] : []),
    { label: labels.occurredAt, value: localDateTime(event.occurredAt, options.timeZone) },
  ].filter((field) => field.value !== '');
  const link = problemLink(options.consoleUrl, problem.id);

  return {
    title,
    text: [
      title,
      lead,
      '',
      ...fields.map((f) => `${f.label}${colon(language)}${f.value}`),
    ].join('\n'),
    markdown: [
      `#### ${escapeMarkdown(title)}`,
      '',
      escapeMarkdown(lead),
      '',
      ...fields.map((f) => `- **${escapeMarkdown(f.label)}**${colon(language)}${escapeMarkdown(f.value)}`),
    ].join('\n'),
    html: htmlDocument(language, [
      htmlTitle(title),
      `<p>${escapeHtml(lead)}</p>`,
      htmlTable(fields),
      ...htmlLink(labels.openProblem, link),
    ]),
    link,
    linkLabel: labels.openProblem,
  };
}

/** A burst folded into one message: a list of the folded messages' titles (each linking to its problem), "N 条通知合并发送". */
export function renderBurstDigest(items: ReadonlyArray<{ title: string; link: string | null }>, language: Language): MessageContent {
  if (items.length === 0) throw new RangeError('A digest folds at least one message.');
  const count = items.length;
  const title = language === 'zh' ? `【合并通知】${count} 条通知合并发送` : `[Digest] ${count} notifications sent together`;
  const lead =
    language === 'zh'
      ? `短时间内通知较多，以下 ${count} 条通知合并发送，请逐条查看处理：`
      : `Many notifications came at once; these ${count} are sent together. Please look at each of them:`;
  const entries = items.map((item) => ({ title: plainLine(item.title, TITLE_MAX_CHARS), link: safeUrl(item.link) }));
  const link = problemsListLink(entries.find((entry) => entry.link !== null)?.link ?? null);
  const linkLabel = LABELS[language].openProblems;

  return {
    title,
    text: [
      title,
      lead,
      '',
      ...entries.map((e, i) => `${i + 1}. ${e.title}${e.link ? ` ${e.link}` : ''}`),
    ].join('\n'),
    markdown: [
      `#### ${escapeMarkdown(title)}`,
      '',
      escapeMarkdown(lead),
      '',
      ...entries.map((e) => `- ${markdownItem(e.title, e.link)}`),
    ].join('\n'),
    html: htmlDocument(language, [
      htmlTitle(title),
      `<p>${escapeHtml(lead)}</p>`,
      `<ol>${entries.map((e) => `<li>${htmlItem(e.title, e.link)}</li>`).join('')}</ol>`,
      ...htmlLink(linkLabel, link),
    ]),
    link,
    linkLabel,
  };
}

export function renderDailyDigest(
  recipientName: string,
  date: string,
  sections: DailyDigestSections,
  language: Language,
  options: { consoleUrl: string | null; timeZone: string; maxItemsPerSection?: number },
): MessageContent {
  if (!isLocalDate(date)) throw new RangeError(`A digest date is YYYY-MM-DD, not ${JSON.stringify(date)}.`);
  const maxItems = options.maxItemsPerSection ?? DEFAULT_MAX_ITEMS_PER_SECTION;
  if (!Number.isSafeInteger(maxItems) || maxItems < 1) throw new RangeError(`maxItemsPerSection must be from 1, not ${maxItems}.`);
  const zh = language === 'zh';
  const labels = LABELS[language];
  const name = plainLine(recipientName, NAME_MAX_CHARS);
  const title = joinTag(EVENT_WORDING['daily.digest'][language].tag, date, language);
  const greeting = zh ? `${name}，您好：以下是 ${date} 需要关注的整改事项。` : `Dear ${name}, these are the rectifications that need your attention on ${date}.`;
  const headings: Record<keyof DailyDigestSections, string> = zh
    ? { dueToday: '今日到期', overdue: '已逾期', escalated: '督办中', awaitingDecision: '待您审核' }
    : { dueToday: 'Due today', overdue: 'Overdue', escalated: 'Escalated', awaitingDecision: 'Waiting for your decision' };

  const rendered = (Object.keys(headings) as (keyof DailyDigestSections)[])
    .filter((key) => sections[key].length > 0)
    .map((key) => {
      const problems = sections[key];
      const shown = problems.slice(0, maxItems).map((problem) => {
        const facts = [
          problem.departmentName ? plainLine(problem.departmentName, NAME_MAX_CHARS) : labels.unassigned,
          `${labels.deadline} ${problem.deadline ? localDateTime(problem.deadline, options.timeZone) : labels.noDeadline}`,
          ...(problem.escalationLevel > 0 ? [escalationName(problem.escalationLevel, language)] : []),
        ];
        return { title: plainLine(problem.title, TITLE_MAX_CHARS), link: problemLink(options.consoleUrl, problem.id), facts };
      });
      const hidden = problems.length - shown.length;
      const more = hidden > 0 ? (zh ? `另有 ${hidden} 项未列出` : `and ${hidden} more`) : null;
      return { heading: `${headings[key]}${zh ? `（${problems.length}）` : ` (${problems.length})`}`, shown, more };
    });
  const nothing = zh ? '今日没有到期、逾期、督办中或待您审核的问题。' : 'Nothing is due, overdue, escalated or waiting for your decision today.';
  const link = problemsLink(options.consoleUrl);
  const separator = ' · ';

  const text = [title, greeting];
  const markdown = [`#### ${escapeMarkdown(title)}`, '', escapeMarkdown(greeting)];
  const body: string[] = [];
  for (const section of rendered) {
    const textLines = section.shown.map(
      (p, i) => `${i + 1}. ${p.title}${separator}${p.facts.join(separator)}${p.link ? ` ${p.link}` : ''}`,
    );
    const markdownLines = section.shown.map(
      (p) => `- ${markdownItem(p.title, p.link)}${separator}${p.facts.map(escapeMarkdown).join(separator)}`,
    );
    text.push('', section.heading, ...textLines);
    markdown.push('', `**${escapeMarkdown(section.heading)}**`, '', ...markdownLines);
    body.push(
      `<h3 style="font-size:15px;margin:16px 0 4px">${escapeHtml(section.heading)}</h3>`,
      `<ol>${section.shown.map((p) => `<li>${htmlItem(p.title, p.link)}${separator}${p.facts.map(escapeHtml).join(separator)}</li>`).join('')}</ol>`,
    );
    if (section.more) {
      text.push(section.more);
      markdown.push(`- ${escapeMarkdown(section.more)}`);
      body.push(`<p>${escapeHtml(section.more)}</p>`);
    }
  }
  if (rendered.length === 0) {
    text.push('', nothing);
    markdown.push('', escapeMarkdown(nothing));
    body.push(`<p>${escapeHtml(nothing)}</p>`);
  }

  return {
    title,
    text: text.join('\n'),
    markdown: markdown.join('\n'),
    html: htmlDocument(language, [htmlTitle(title), `<p>${escapeHtml(greeting)}</p>`, ...body, ...htmlLink(labels.openProblems, link)]),
    link,
    linkLabel: labels.openProblems,
  };
}

/** Admins: the holiday data ends on `endsOn`; deadlines past it ignore next year's holidays until an .ics is imported. */
export function renderCoverageWarning(
  calendarName: string,
  endsOn: string,
  daysLeft: number,
  language: Language,
  options: { consoleUrl: string | null },
): MessageContent {
  if (!isLocalDate(endsOn)) throw new RangeError(`endsOn is YYYY-MM-DD, not ${JSON.stringify(endsOn)}.`);
  const name = plainLine(calendarName, NAME_MAX_CHARS);
  const ended = daysLeft <= 0;
  const [title, lead, advice] =
    language === 'zh'
      ? [
          ended ? `【工作日历提醒】节假日数据已于 ${endsOn} 到期` : `【工作日历提醒】节假日数据将于 ${endsOn} 到期`,
          ended
            ? `工作日历「${name}」的法定节假日安排截至 ${endsOn}，已经到期。`
            : `工作日历「${name}」的法定节假日安排截至 ${endsOn}，还剩 ${daysLeft} 天。`,
          '此后的整改期限只按周末计算，不计下一年度的法定节假日和调休上班日，可能与实际工作日不符。请在国务院办公厅公布下一年度放假安排后，及时导入日历文件（.ics，支持调休上班日）。',
        ]
      : [
          ended ? `[Working calendar] Holiday data ended on ${endsOn}` : `[Working calendar] Holiday data ends on ${endsOn}`,
          ended
            ? `The public holidays of the working calendar "${name}" are known up to ${endsOn}, which has passed.`
            : `The public holidays of the working calendar "${name}" are known up to ${endsOn}, ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} from now.`,
          "Deadlines counted past that date skip weekends only: next year's public holidays and make-up workdays are ignored until its schedule is imported (.ics, make-up workdays supported).",
        ];
  const link = consoleLink(options.consoleUrl, '/admin/calendar');
  const linkLabel = language === 'zh' ? '打开工作日历设置' : 'Open the calendar settings';
  return {
    title,
    text: [title, lead, advice].join('\n'),
    markdown: [`#### ${escapeMarkdown(title)}`, '', escapeMarkdown(lead), '', escapeMarkdown(advice)].join(
      '\n',
    ),
    html: htmlDocument(language, [
      htmlTitle(title),
      `<p>${escapeHtml(lead)}</p>`,
      `<p>${escapeHtml(advice)}</p>`,
      ...htmlLink(linkLabel, link),
    ]),
    link,
    linkLabel,
  };
}

/** The test message an admin sends to check a channel. */
export function renderTestMessage(channelName: string, language: Language, sentAt: string): MessageContent {
  const name = plainLine(channelName, NAME_MAX_CHARS);
  const at = plainLine(sentAt, 40);
  const [title, lead, when] =
    language === 'zh'
      ? [`【测试消息】${name}`, `这是一条测试消息，用于确认通知通道「${name}」能够正常送达，无需回复。`, `发送时间：${at}`]
      : [`[Test message] ${name}`, `This is a test message to check that the notification channel "${name}" delivers. No reply is needed.`, `Sent at: ${at}`];
  return {
    title,
    text: [title, lead, when].join('\n'),
    markdown: [`#### ${escapeMarkdown(title)}`, '', escapeMarkdown(lead), '', escapeMarkdown(when)].join('\n'),
    html: htmlDocument(language, [htmlTitle(title), `<p>${escapeHtml(lead)}</p>`, `<p>${escapeHtml(when)}</p>`]),
    link: null,
    linkLabel: language === 'zh' ? '查看' : 'Open',
  };
}

// ---- facts ----

interface Field {
  label: string;
  value: string;
}

function problemFields(problem: ProblemFacts, language: Language, timeZone: string): Field[] {
  const labels = LABELS[language];
  const severity = plainLine(problem.severity, NAME_MAX_CHARS);
  const state = plainLine(problem.stateDetail, NAME_MAX_CHARS);
  return [
    { label: labels.problem, value: plainLine(problem.title, TITLE_MAX_CHARS) },
    { label: labels.severity, value: SEVERITY_LABELS[language][severity] ?? severity },
    { label: labels.inspection, value: plainLine(problem.inspectionRef, NAME_MAX_CHARS) },
    { label: labels.department, value: problem.departmentName ? plainLine(problem.departmentName, NAME_MAX_CHARS) : labels.unassigned },
    { label: labels.deadline, value: problem.deadline ? localDateTime(problem.deadline, timeZone) : labels.noDeadline },
    { label: labels.state, value: STATE_LABELS[language][state] ?? state },
    ...(problem.escalationLevel > 0 ? [{ label: labels.escalation, value: escalationName(problem.escalationLevel, language) }] : []),
    ...(problem.light ? [{ label: labels.light, value: LIGHT_LABELS[language][problem.light] ?? plainLine(problem.light, NAME_MAX_CHARS) }] : []),
  ];
}

function escalationName(level: number, language: Language): string {
  return language === 'zh' ? defaultStepName(level) : `escalation level ${level}`;
}

function joinTag(tag: string, rest: string, language: Language): string {
  // 【…】 brackets carry their own spacing; Latin ones need a space.
  return language === 'zh' ? `${tag}${rest}` : `${tag} ${rest}`;
}

function colon(language: Language): string {
  return language === 'zh' ? '：' : ': ';
}

/**
 * `YYYY-MM-DD HH:mm` in the calendar's zone: deadlines are read as the organisation's wall clock. Parsing goes through
 * the calendar's `toDate`, which refuses a date-time without an offset rather than guessing its zone.
 */
function localDateTime(at: string, timeZone: string): string {
  return DateTime.fromJSDate(toDate(at), { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');
}

// ---- links ----

function trimSlashes(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** A page of the console, or null when no console address is configured. */
function consoleLink(consoleUrl: string | null, path: string): string | null {
  if (consoleUrl === null || consoleUrl.trim() === '') return null;
  return safeUrl(`${trimSlashes(consoleUrl)}${path}`);
}

function problemLink(consoleUrl: string | null, problemId: string): string | null {
  return consoleLink(consoleUrl, `/problems/${encodeURIComponent(problemId)}`);
}

function problemsLink(consoleUrl: string | null): string | null {
  return consoleLink(consoleUrl, '/problems');
}

/** A burst digest has no console address of its own: the list its items' `…/problems/<id>` links belong to. */
function problemsListLink(itemLink: string | null): string | null {
  const match = itemLink === null ? null : /^(.*\/problems)\/[^/?#]+$/.exec(itemLink);
  return match ? match[1] : null;
}

/** Only web links go into a message (no `javascript:` in an href, whatever a stored row says). */
function safeUrl(url: string | null): string | null {
  if (url === null || !/^https?:\/\/[^\s]+$/i.test(url)) return null;
  return url;
}

function htmlLink(label: string, link: string | null): string[] {
  return link ? [`<p><a href="${escapeHtml(link)}">${escapeHtml(label)}</a></p>`] : [];
}

function markdownItem(title: string, link: string | null): string {
  return link ? `[${escapeMarkdown(title)}](${markdownUrl(link)})` : escapeMarkdown(title);
}

function htmlItem(title: string, link: string | null): string {
  return link ? `<a href="${escapeHtml(link)}">${escapeHtml(title)}</a>` : escapeHtml(title);
}

/** A link destination cannot end early at a parenthesis or a space. */
function markdownUrl(url: string): string {
  return url.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

// ---- hostile text ----

// C0/C1 controls (newlines included: user text never starts a line of its own), line and paragraph separators,
// bidirectional overrides and isolates (which can make a title read differently from what it is), and BOM.
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** One line of user text: controls become spaces, runs of space collapse, cut to `max` characters (code points). */
export function plainLine(value: string, max: number): string {
  const line = value.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Backslash-escapes what CommonMark (and the robots' markdown dialects) treat as syntax anywhere in a line — link
 * brackets, emphasis, code, HTML tags and entities, tables, strikethrough — and what starts a block only at the start
 * of a line (heading, list, setext underline), which user text may be when it opens a line. `@` becomes full-width
 * (＠), so neither DingTalk's `@mobile` nor WeCom's `<@userid>` can be typed into a message. Parentheses, dots and
 * dashes inside a line stay as they are: without `[` they make no link, and dates stay readable.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[\\`*_[\]<>&|~]/g, '\\$&')
    .replace(/^[#=+-]/, '\\$&')
    .replace(/^(\d{1,9})([.)])/, '$1\\$2')
    .replace(/@/g, '＠');
}

// Inline styles: mail clients drop <style> blocks.
const BODY_STYLE = "font-family:-apple-system,'PingFang SC','Microsoft YaHei',Arial,sans-serif;font-size:14px;line-height:1.6;color:#1f1f1f";
const LABEL_STYLE = 'padding:2px 12px 2px 0;white-space:nowrap;color:#595959;font-weight:normal';

function htmlDocument(language: Language, parts: string[]): string {
  return `<div lang="${language === 'zh' ? 'zh-CN' : 'en'}" style="${BODY_STYLE}">${parts.join('')}</div>`;
}

function htmlTitle(title: string): string {
  return `<h2 style="font-size:18px;margin:0 0 12px">${escapeHtml(title)}</h2>`;
}

function htmlTable(fields: Field[]): string {
  const rows = fields
    .map((f) => `<tr><th align="left" style="${LABEL_STYLE}">${escapeHtml(f.label)}</th><td style="padding:2px 0">${escapeHtml(f.value)}</td></tr>`)
    .join('');
  return `<table style="border-collapse:collapse;margin:8px 0">${rows}</table>`;
}
