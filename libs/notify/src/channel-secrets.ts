import { SecretBox } from './secret-box.js';

/** The key channels are sealed with (NOTIFY_SECRET_KEY), or none: then channels can be neither added nor used. */
export class ChannelSecrets {
  private readonly box: SecretBox | null;

  constructor(setting: string | undefined) {
    this.box = setting ? SecretBox.fromSetting(setting, 'NOTIFY_SECRET_KEY') : null;
  }

  get available(): boolean {
    return this.box !== null;
  }

  seal(plaintext: string): string {
    if (!this.box) throw new Error('NOTIFY_SECRET_KEY is not set');
    return this.box.seal(plaintext);
  }

  open(sealed: string): string {
    if (!this.box) throw new Error('NOTIFY_SECRET_KEY is not set');
    return this.box.open(sealed);
  }
}
