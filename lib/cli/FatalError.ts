/**
 * How an error that ends a program or a command is shown. An error a user meets (a configuration value, a
 * DSTREAMS_CONF entry, a port in use, any dstreams error) is one line plus a hint, and the stack trace only with
 * `DSTREAMS_LOG_LEVEL=debug`; any other error (a bug in the program) keeps its stack trace, which is what its author
 * needs. Used by the `dstreams` commands, by the preload of `dstreams run`/`step`, by the examples and `npm start`.
 */
import { inspect } from 'node:util';
import { ConfigurationError, DStreamsError, MalformedConfEntryError } from '../core/errors';

/** The one line and the hint of an error a user meets. */
export interface UserFacingError {
  /** The error's class (`ConfigurationError`, `Error` for Node's system errors). */
  readonly name: string;
  /** One line. */
  readonly message: string;
  readonly hint: string;
}

export const DEBUG_HINT = 'DSTREAMS_LOG_LEVEL=debug prints the stack trace';

/** Node's system errors (`listen EADDRINUSE: ...`) carry their code, syscall and, for sockets, address and port. */
interface SystemError extends Error {
  readonly code: string;
  readonly syscall: string;
  readonly address?: string;
  readonly port?: number;
}

function isSystemError(e: unknown): e is SystemError {
  return e instanceof Error && typeof (e as SystemError).code === 'string' && typeof (e as SystemError).syscall === 'string';
}

/** The DSTREAMS_CONF entry that sets `key`, if any. */
function confEntry(key: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.DSTREAMS_CONF ?? '')
    .split(/[\n;]/)
    .map((e) => e.trim())
    .find((e) => e.slice(0, e.indexOf('=')).trim() === key);
}

/** The line and hint for `e` when it is an error a user meets; undefined for any other (a program's own bug). */
export function userFacing(e: unknown, env: NodeJS.ProcessEnv = process.env): UserFacingError | undefined {
  if (e instanceof ConfigurationError) {
    const entry = confEntry(e.key, env);
    return {
      name: e.name,
      message: e.message,
      hint: entry !== undefined ? `DSTREAMS_CONF sets ${entry}: fix or remove that entry` : `the program sets ${e.key} (SparkConf.set): fix its value`,
    };
  }
  if (e instanceof MalformedConfEntryError) {
    return {
      name: e.name,
      message: e.message,
      hint: 'DSTREAMS_CONF holds key=value entries separated by ";" or newlines, e.g. DSTREAMS_CONF="spark.streaming.blockInterval=200ms;dstreams.ui.port=0"',
    };
  }
  if (e instanceof DStreamsError) return { name: e.name, message: firstLine(e.message), hint: DEBUG_HINT };
  if (isSystemError(e) && e.code === 'EADDRINUSE') {
    const where = e.port !== undefined ? `port ${e.port}${e.address ? ` on ${e.address}` : ''}` : 'the address';
    return {
      name: 'Error',
      message: `${where} is already in use (${e.syscall} EADDRINUSE)`,
      hint: `another program listens there (a dstreams nc or a job still running in another terminal?): stop it, or choose another port${e.port !== undefined ? `; \`ss -ltnp | grep :${e.port}\` shows which program` : ''}`,
    };
  }
  if (isSystemError(e)) return { name: 'Error', message: firstLine(e.message), hint: DEBUG_HINT };
  return undefined;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

/** Whether the log level asks for stack traces. */
export function debugging(env: NodeJS.ProcessEnv): boolean {
  return env.DSTREAMS_LOG_LEVEL === 'debug' || env.DSTREAMS_LOG_LEVEL === 'trace';
}

/**
 * The text to write on stderr for an error that ends a program: `<Error>: <message>` and `  hint: ...` for an error
 * a user meets (plus the stack trace with DSTREAMS_LOG_LEVEL=debug), the stack trace for any other.
 */
export function fatalErrorText(e: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const known = userFacing(e, env);
  if (known === undefined) return `${inspect(e)}\n`;
  return `${known.name}: ${known.message}\n  hint: ${known.hint}\n${debugging(env) ? `${inspect(e)}\n` : ''}`;
}
