/**
 * Pushes in the background of the server: a write nudges the scheduler, which pushes the new head
 * a moment later (one round per `debounceMs` however many writes), and a periodic tick retries
 * what failed once its backoff is over and picks up heads written by other processes (the CLI).
 * Nothing here is awaited by a request: a write never waits for a witness.
 */
import type { Store } from '../../store/database.ts';
import { pushToWitnesses, type PushOutcome } from './witness-queue.service.ts';
import type { Witness } from './witness.ts';

export interface SchedulerOptions {
  clock?: () => Date;
  /** Wait after a nudge before pushing (ms, default 1000): writes in a burst make one push. */
  debounceMs?: number;
  /** How often to look for due retries and heads written elsewhere (ms, default 15000). */
  tickMs?: number;
  /** Each push's outcome (for the log). */
  onOutcome?: (o: PushOutcome) => void;
  /** A round that failed as a whole (the database unreachable). */
  onError?: (err: unknown) => void;
}

/** The server's background pusher. */
export class WitnessScheduler {
  private readonly store: Store;
  private readonly witnesses: readonly Witness[];
  private readonly opts: SchedulerOptions;
  private nudged: NodeJS.Timeout | undefined;
  private ticking: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(store: Store, witnesses: readonly Witness[], opts: SchedulerOptions = {}) {
    this.store = store;
    this.witnesses = witnesses;
    this.opts = opts;
  }

  /** The witnesses pushed to. */
  get ids(): string[] {
    return this.witnesses.map((w) => w.id);
  }

  /** Starts the periodic tick and pushes once (heads left undelivered by a previous run go out). */
  start(): this {
    if (this.witnesses.length === 0 || this.stopped) return this;
    this.ticking = setInterval(() => this.kick(), this.opts.tickMs ?? 15_000);
    this.ticking.unref();
    this.kick();
    return this;
  }

  /** A write was committed: push within `debounceMs`. */
  nudge(): void {
    if (this.witnesses.length === 0 || this.stopped || this.nudged) return;
    this.nudged = setTimeout(() => {
      this.nudged = undefined;
      this.kick();
    }, this.opts.debounceMs ?? 1000);
    this.nudged.unref();
  }

  /** Runs a round now and waits for it (and for one already running). */
  async runNow(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  /** Stops the timers and waits for a round under way, so the store can close after. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.nudged);
    clearInterval(this.ticking);
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await pushToWitnesses(this.store, this.witnesses, {
          ...(this.opts.clock ? { now: this.opts.clock } : {}),
          ...(this.opts.onOutcome ? { onOutcome: this.opts.onOutcome } : {}),
        });
      } catch (err) {
        this.opts.onError?.(err);
      }
    } while (this.again && !this.stopped);
  }
}
