/** Spark's `StreamingContextState`. */
export const StreamingContextState = {
  INITIALIZED: 'INITIALIZED',
  ACTIVE: 'ACTIVE',
  STOPPED: 'STOPPED',
} as const;

export type StreamingContextState = (typeof StreamingContextState)[keyof typeof StreamingContextState];
