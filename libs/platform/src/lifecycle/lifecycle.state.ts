import { Injectable } from '@nestjs/common';

/** Whether this instance has been told to stop: readiness fails from that moment on. */
@Injectable()
export class LifecycleState {
  private drainingSince: Date | undefined;

  startDraining(): void {
    this.drainingSince ??= new Date();
  }

  get isDraining(): boolean {
    return this.drainingSince !== undefined;
  }
}
