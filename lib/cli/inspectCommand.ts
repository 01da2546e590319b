import { CheckpointDirNotFoundError, type InspectReport, inspectCheckpointDir } from '../checkpoint/CheckpointDirReport';
import { CliError, ExitCode } from './exitCodes';

/** `dstreams inspect <checkpointDir> [--json]`. */
export function inspectCommand(dir: string, json: boolean): string {
  let report: InspectReport;
  try {
    report = inspectCheckpointDir(dir);
  } catch (e) {
    if (e instanceof CheckpointDirNotFoundError) {
      throw new CliError(e.message, 'give the folder passed to ssc.checkpoint(...)', ExitCode.NOT_FOUND);
    }
    throw e;
  }
  return json ? JSON.stringify(report, null, 2) + '\n' : formatInspectReport(report);
}

/** The report as text for a terminal. */
export function formatInspectReport(r: InspectReport): string {
  const lines: string[] = [`Checkpoint folder ${r.checkpointDir}`, ''];
  lines.push('Checkpoints (newest first):');
  if (r.checkpoints.length === 0) lines.push('  (none: a restart creates a new context)');
  for (const c of r.checkpoints) lines.push(`  ${c.name.padEnd(28)} ${String(c.bytes).padStart(9)} B  ${c.valid ? 'ok' : `INVALID: ${c.error}`}`);
  if (r.recoverFrom) {
    const rf = r.recoverFrom;
    lines.push('', `A restart recovers from ${rf.file} (app ${rf.appName}, batch ${rf.batchDurationMs} ms, checkpoint time ${rf.checkpointTimeMs} ms)`);
    lines.push(`Pending batches: ${r.pendingBatchesMs.length ? r.pendingBatchesMs.map((t) => `${t} ms`).join(', ') : 'none'}`);
    const shown = r.restartWouldRunMs.slice(0, 10).map((t) => `${t} ms`).join(', ');
    lines.push(`A restart now would re-run ${r.restartWouldRunMs.length}${r.restartWouldRunMs.length >= 100 ? '+' : ''} batch(es): ${shown}${r.restartWouldRunMs.length > 10 ? ', ...' : ''}`);
    lines.push('', 'DStream graph:');
    for (const s of r.streams) {
      const data = s.checkpointData === undefined ? '' : `  checkpoint data: ${JSON.stringify(s.checkpointData).slice(0, 100)}`;
      lines.push(`  [${s.seq}] ${s.className} (${s.site})${data}`);
    }
  }
  for (const l of r.logs) {
    const total = l.segments.reduce((a, s) => a + s.bytes, 0);
    lines.push('', `Write-ahead log ${l.folder}: ${l.segments.length} segment(s), ${total} B`);
    for (const s of l.segments) {
      lines.push(`  ${s.name.padEnd(32)} ${String(s.bytes).padStart(10)} B${s.records !== undefined ? `  ${s.records} records` : ''}${s.error ? `  ${s.error}` : ''}`);
    }
  }
  if (r.other.length) lines.push('', `Other entries: ${r.other.join(', ')}`);
  return lines.join('\n') + '\n';
}
