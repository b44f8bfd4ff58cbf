import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Actor, Clock, DomainError } from '#domain';
import {
  DEFAULT_DEADLINE_POLICY,
  type DeadlineBasis,
  type DeadlinePolicy,
  type DeadlinePolicyBook,
  type DeadlinePolicyDraft,
  namedSteps,
  POLICY_PRESETS,
  type PolicyPreset,
  type PolicyStamp,
  policyDraftProblems,
  policyStampOf,
  sameAsPolicy,
  type UnnamedStep,
} from '#rectification';
import { SerialRefresh } from './serial-refresh.js';

/**
 * Signal on the @nestjs/event-emitter bus, emitted once a new deadline policy version is stored: every process
 * sharing the database (the ClusterBus carries it) counts new deadlines with it from its next request on.
 */
export const DEADLINE_POLICY_CHANGED = 'deadline-policy.changed';

/** Who published a version, and when (kept with it and in the audit log). */
export interface PolicyPublication {
  actorId: string;
  actorName: string;
  at: string;
  /** Why this version (shown in the version list). */
  note: string;
}

/** A stored version with its publication (null: the built-in version 1, stored at first start). */
export interface PublishedPolicy {
  policy: DeadlinePolicy;
  publication: PolicyPublication | null;
}

export abstract class DeadlinePolicyStore {
  /** Every stored version of every policy, oldest first. */
  abstract loadAll(): Promise<PublishedPolicy[]>;
  /** Stores a new version; false when that id and version already exist (someone else published first). */
  abstract save(published: PublishedPolicy): Promise<boolean>;
}

/** How often a process re-reads the stored versions anyway: a safety net for a signal it missed. */
const REFRESH_MS = 30_000;

/**
 * The organisation's deadline policy versions, served from memory and loaded from the DeadlinePolicyStore: the latest
 * version of the default policy is current, every older one stays available to the problems stamped with it. On
 * first start the built-in policy is stored as version 1, the one every problem assigned before versions ran under.
 */
@Injectable()
export class DeadlinePolicyProvider implements DeadlinePolicyBook, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlinePolicy');
  private versions = new Map<string, PublishedPolicy>();
  private latest: DeadlinePolicy = DEFAULT_DEADLINE_POLICY;
  private timer: NodeJS.Timeout | null = null;
  private readonly rereads = new SerialRefresh(() => this.refresh());

  private readonly onChanged = () => {
    void this.rereads.request().catch((error: unknown) => this.logger.warn(`Re-reading the deadline policies failed: ${String(error)}`));
  };

  constructor(
    private readonly store: DeadlinePolicyStore,
    @Optional() private readonly bus?: EventEmitter2,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    if (!this.versions.has(key(DEFAULT_DEADLINE_POLICY))) {
      await this.store.save({ policy: DEFAULT_DEADLINE_POLICY, publication: null });
      await this.refresh();
    }
    this.bus?.on(DEADLINE_POLICY_CHANGED, this.onChanged);
    this.timer = setInterval(this.onChanged, REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.bus?.off(DEADLINE_POLICY_CHANGED, this.onChanged);
    if (this.timer) clearInterval(this.timer);
  }

  current(): DeadlinePolicy {
    return this.latest;
  }

  find(stamp: PolicyStamp): DeadlinePolicy | null {
    return this.versions.get(`${stamp.policyId}@${stamp.policyVersion}`)?.policy ?? null;
  }

  /** Every version, newest first, with who published it. */
  history(): PublishedPolicy[] {
    return [...this.versions.values()].filter(({ policy }) => policy.id === this.latest.id).sort((a, b) => b.policy.version - a.policy.version);
  }

  published(version: number): PublishedPolicy | null {
    return this.versions.get(`${this.latest.id}@${version}`) ?? null;
  }

  /**
   * Makes sure the version a deadline basis was stamped with is in memory (another server may have published it a
   * moment ago): a stamp already known costs no read.
   */
  async ensure(basis: DeadlineBasis | null): Promise<void> {
    const stamp = policyStampOf(basis);
    if (stamp === null || this.find(stamp)) return;
    await this.rereads.request();
    if (!this.find(stamp)) throw new Error(`Deadline policy ${stamp.policyId} version ${stamp.policyVersion} is not stored`);
  }

  /** Stores the next version and serves it from now on; resolves once the other processes have been told. */
  async publish(published: PublishedPolicy): Promise<boolean> {
    const saved = await this.store.save(published);
    await this.refresh();
    if (saved) await this.bus?.emitAsync(DEADLINE_POLICY_CHANGED, { policyId: published.policy.id, version: published.policy.version });
    return saved;
  }

  async refresh(): Promise<void> {
    const all = await this.store.loadAll();
    this.versions = new Map(all.map((published) => [key(published.policy), published]));
    const ofDefault = all.filter(({ policy }) => policy.id === DEFAULT_DEADLINE_POLICY.id).sort((a, b) => b.policy.version - a.policy.version);
    this.latest = ofDefault[0]?.policy ?? DEFAULT_DEADLINE_POLICY;
  }
}

function key(policy: DeadlinePolicy): string {
  return `${policy.id}@${policy.version}`;
}

/**
 * A draft as an admin sends it: the light rule and the ranking thresholds may be left out (kept as in force), and
 * steps may come without a name (named by their level).
 */
export type EditedPolicy = Omit<DeadlinePolicyDraft, 'lights' | 'ranking' | 'escalation'> &
  Partial<Pick<DeadlinePolicyDraft, 'lights' | 'ranking'>> & { escalation: UnnamedStep[] };

/**
 * The deadline policy as admins edit it: each publication is a new version, applied to problems assigned (or
 * reopened, or recounted by a supervisor) after it; running problems keep the version they were stamped with.
 */
@Injectable()
export class DeadlinePolicyAdministration {
  constructor(
    private readonly policies: DeadlinePolicyProvider,
    private readonly clock: Clock,
  ) {}

  presets(): readonly PolicyPreset[] {
    return POLICY_PRESETS;
  }

  /**
   * Publishes a draft as the version after `basedOn` (the version the admin edited): 409 when someone published
   * since, 400 naming each field that is out of range, and no new version when it changes nothing. A draft without
   * a light rule or ranking thresholds keeps those in force; a step without a name is named by its level.
   */
  async publish(admin: Actor, edited: EditedPolicy, basedOn: number, note: string): Promise<PublishedPolicy> {
    const current = this.policies.current();
    const draft: DeadlinePolicyDraft = {
      ...edited,
      escalation: namedSteps(edited.escalation),
      lights: edited.lights ?? current.lights,
      ranking: edited.ranking ?? current.ranking,
    };
    if (basedOn !== current.version) throw conflict(current.version);
    const problems = policyDraftProblems(draft);
    if (problems.length > 0) {
      throw new DomainError('VALIDATION_FAILED', problems.map((problem) => problem.messages[0]).join(' '), { fields: problems });
    }
    if (sameAsPolicy(draft, current)) return this.policies.published(current.version)!;
    const policy: DeadlinePolicy = { ...draft, id: current.id, version: current.version + 1 };
    const publication: PolicyPublication = { actorId: admin.userId, actorName: admin.name, at: this.clock.now().toISOString(), note };
    if (!(await this.policies.publish({ policy, publication }))) throw conflict(policy.version);
    return this.policies.published(policy.version)!;
  }
}

function conflict(version: number): DomainError {
  return new DomainError(
    'POLICY.VERSION_CONFLICT',
    `Someone else published the deadline policy first (version ${version} is in force); reload it and try again.`,
    { version },
  );
}
