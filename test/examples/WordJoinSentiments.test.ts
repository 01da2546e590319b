/**
 * network_wordjoinsentiments: each batch's word counts joined with the static sentiment list, happiest first.
 */
import { cleanUp, lineServer, startProgram, waitFor, waitForClient } from './exampleKit';

afterEach(cleanUp);

test('network_wordjoinsentiments prints the happiest words of each batch, score x count, sorted', async () => {
  const src = await lineServer();
  const r = startProgram('network_wordjoinsentiments.ts', ['localhost', String(src.port)]);
  await waitForClient(r, src.server);
  // love 3, happy 3, sad -2, unknown words are not in the join; 'love' twice scores 6.
  src.send('love the happy sad love unknown');
  const expected = 'Happiest topics in the last 5 seconds (3 total):\nlove (6 happiness)\nhappy (3 happiness)\nsad (-2 happiness)\n';
  await waitFor(r, 'the happiest words', () => r.stdout().includes(expected));
  // Batches without input print the header with 0 total and no words.
  await waitFor(r, 'an empty batch', () => r.stdout().includes('Happiest topics in the last 5 seconds (0 total):\nHappiest'));
});
