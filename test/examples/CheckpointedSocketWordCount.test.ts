/**
 * checkpointed-socket-wordcount (the Structured Streaming checkpoint article's program as DStreams): running
 * counts printed every batch; after a SIGKILL a restart with the same checkpoint location goes on with them.
 */
import * as path from 'node:path';
import { batches, cleanUp, hasBatch, lineServer, sorted, startProgram, tempDir, waitFor, waitForClient } from './exampleKit';

afterEach(cleanUp);

test('running counts survive a SIGKILL and a restart from the checkpoint location', async () => {
  const dir = tempDir('checkpointed');
  const cp = path.join(dir, 'checkpoint');
  const src = await lineServer();
  const args = ['localhost', String(src.port), cp];

  const first = startProgram('checkpointed-socket-wordcount.ts', args);
  await waitForClient(first, src.server);
  expect(first.stdout()).toContain(`Starting with empty counts; checkpoints go to ${cp}`);
  src.send('to be or not to be');
  const afterFirst = ['(to,2)', '(be,2)', '(or,1)', '(not,1)'];
  await waitFor(first, 'the first counts', () => hasBatch(first.stdout(), afterFirst));
  // Let a few more batches (and their checkpoints) complete, then kill without warning.
  await waitFor(first, 'three batches with the counts', () => batches(first.stdout()).filter((b) => sorted(b.lines).join() === sorted(afterFirst).join()).length >= 3);
  first.child.kill('SIGKILL');
  await first.exited();

  const second = startProgram('checkpointed-socket-wordcount.ts', args);
  await waitFor(second, 'the recovery line', () => /Recovered from checkpoint .* at \d+ ms: the counts go on/.test(second.stdout()));
  expect(second.stdout()).not.toContain('Starting with empty counts');
  // The first batch after the restart already has the counts of before.
  await waitFor(second, 'a batch', () => batches(second.stdout()).length > 0);
  expect(sorted(batches(second.stdout())[0].lines)).toEqual(sorted(afterFirst));
  await waitForClient(second, src.server);
  src.send('to see');
  await waitFor(second, 'the counts going on', () => hasBatch(second.stdout(), ['(to,3)', '(be,2)', '(or,1)', '(not,1)', '(see,1)']));
});
