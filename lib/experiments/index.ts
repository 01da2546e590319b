/** Replay-based fault experiments: the runner behind `dstreams experiment` and the kit experiment programs use. */
export { RecoveryCounters, type RecoveryEvent, type RecoveryObserver } from './RecoveryCounters';
export {
  EXPERIMENT_ENV,
  JOURNAL_FILE,
  SOURCE_KINDS,
  type ExperimentSourceKind,
  type JournalEntry,
  keyedOutputFile,
  appendOutputFile,
  parseOutputFile,
  isValidOutputName,
} from './ExperimentContract';
export { ExperimentContractError, ExperimentRunError, FaultSpecError } from './ExperimentErrors';
export { ExperimentProgram } from './ExperimentProgram';
export { experimentRecords } from './ExperimentSource';
export { readRunOutputs, type OutputRecords, type RunOutputs } from './ExperimentOutputs';
export { type ExperimentReport, type RunReport, type OutputComparison, compareOutput, formatReport } from './ExperimentReport';
export { type FaultSpec } from './ExperimentRunner';
export { runExperiment, parseFaults, DEFAULT_FAULT_HITS, type ExperimentOptions } from './Experiment';
export { runRandomKills, seededRandom, type RandomKillOptions, type RandomKillReport } from './RandomKills';
