import type { ChannelAdapter, ChannelKind, EmailTarget, RobotTarget } from './channels/channel.js';

/** The adapters a sender sends through, one per kind (built in the module with the outbound target policy). */
export abstract class ChannelAdapters {
  abstract robot(kind: Exclude<ChannelKind, 'email'>): ChannelAdapter<RobotTarget>;
  abstract email(): ChannelAdapter<EmailTarget>;
  /** Closes pooled connections. */
  abstract close(): Promise<void>;
}
