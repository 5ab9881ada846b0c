import { Injectable } from '@nestjs/common';

/** Whether this instance has been told to stop: readiness fails from that moment on. */
@Injectable()
export class LifecycleState {
  private drainingSince: Date | undefined;
  private readonly drainListeners: (() => void)[] = [];

  startDraining(): void {
    if (this.drainingSince) return;
    this.drainingSince = new Date();
    for (const listener of this.drainListeners) listener();
  }

  /** Runs `listener` once when draining starts, e.g. to stop taking new work. */
  onDraining(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  get isDraining(): boolean {
    return this.drainingSince !== undefined;
  }
}
