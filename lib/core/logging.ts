import pino from 'pino';

/**
 * One pino root logger; each component takes a child with its name (`getLogger('JobScheduler')`). Logs go to stderr,
 * so stdout stays Spark's `print()` output. Level from `DSTREAMS_LOG_LEVEL` (default `warn`). Writes are synchronous
 * so that a process killed by a fault point has already written what it logged.
 */
export type Logger = pino.Logger;

const root: pino.Logger = pino(
  {
    name: 'dstreams',
    level: process.env.DSTREAMS_LOG_LEVEL ?? 'warn',
    base: { pid: process.pid },
  },
  pino.destination({ dest: 2, sync: true }),
);

const children = new Map<string, pino.Logger>();

/** The logger of one component; children are cached so asking twice costs nothing. */
export function getLogger(component: string): Logger {
  let child = children.get(component);
  if (!child) {
    child = root.child({ component });
    children.set(component, child);
  }
  return child;
}

/** Changes the level of every component's logger at run time. */
export function setLogLevel(level: pino.LevelWithSilent): void {
  root.level = level;
  for (const c of children.values()) c.level = level;
}
