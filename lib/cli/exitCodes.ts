/** The command line's exit codes (documented in docs/cli.md). */
export const ExitCode = {
  OK: 0,
  /** The program or the operation failed at run time. */
  FAILURE: 1,
  /** Wrong arguments or options. */
  USAGE: 2,
  /** A file or folder given on the command line does not exist or cannot be read. */
  NOT_FOUND: 3,
  /** A checkpoint or log given to `inspect` is corrupt beyond what recovery can use. */
  CORRUPT: 4,
} as const;

/** An error the CLI reports as one line plus a hint, with an exit code. */
export class CliError extends Error {
  constructor(message: string, readonly hint: string, readonly exitCode: number = ExitCode.FAILURE) {
    super(message);
    this.name = 'CliError';
  }
}
