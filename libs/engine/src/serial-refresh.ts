/**
 * Re-reads something kept in memory one read at a time. Asked while a read runs, it reads once more after it: the
 * read under way may have started before the change it was asked for. Resolves when no read is left to do.
 */
export class SerialRefresh {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly read: () => Promise<void>) {}

  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      try {
        do {
          this.again = false;
          await this.read();
        } while (this.again);
      } finally {
        this.running = null;
      }
    };
    this.running = run();
    return this.running;
  }
}
