import { DStreamsError, IllegalArgumentException } from '../../core/errors';
import type { Duration } from '../../core/Duration';

/**
 * A window or slide that is not a multiple of the parent's slide, from `window(...)` and the windows built on it
 * (Spark throws a plain `Exception` there, with this message).
 */
export class InvalidWindowException extends DStreamsError {
  constructor(
    readonly what: 'window' | 'slide',
    readonly duration: Duration,
    readonly parentSlide: Duration,
  ) {
    super(`The ${what} duration of windowed DStream (${duration}) must be a multiple of the slide duration of parent DStream (${parentSlide})`);
  }
}

/** The same for the incremental `reduceByKeyAndWindow` (Spark's `require`, so "requirement failed: ..."). */
export class InvalidReducedWindowException extends IllegalArgumentException {
  constructor(
    readonly what: 'window' | 'slide',
    readonly duration: Duration,
    readonly parentSlide: Duration,
  ) {
    super(
      `requirement failed: The ${what} duration of ReducedWindowedDStream (${duration}) must be multiple of the slide duration of parent DStream (${parentSlide})`,
    );
  }

  /** Throws for a window or slide that is not a multiple of `parentSlide` (ReducedWindowedDStream's `require`s). */
  static check(windowDuration: Duration, slide: Duration, parentSlide: Duration): void {
    if (!windowDuration.isMultipleOf(parentSlide)) throw new InvalidReducedWindowException('window', windowDuration, parentSlide);
    if (!slide.isMultipleOf(parentSlide)) throw new InvalidReducedWindowException('slide', slide, parentSlide);
  }
}
