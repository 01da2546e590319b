import { DStreamsError, IllegalArgumentException } from '../core/errors';

/** A program run by `dstreams experiment` is missing part of the contract (names the variable or output). */
export class ExperimentContractError extends DStreamsError {
  constructor(readonly what: string, message: string) {
    super(`Experiment contract: ${what}: ${message}`);
  }
}

/** A run of an experiment could not complete (names the run, the attempt and the cause; `stderr` is the tail). */
export class ExperimentRunError extends DStreamsError {
  constructor(
    readonly run: string,
    readonly attempt: number,
    message: string,
    readonly stderr = '',
  ) {
    super(`Experiment run ${run}, attempt ${attempt}: ${message}`);
  }
}

/** A `--fault` value that does not name a fault point, or names a bad hit. */
export class FaultSpecError extends IllegalArgumentException {
  constructor(
    readonly spec: string,
    readonly reason: string,
  ) {
    super(`--fault '${spec}': ${reason}`);
  }
}
