/**
 * The group leader's assignment (receivers/kafka/group/CooperativeStickyAssignor.ts): balanced, sticky, and
 * cooperative (a partition that changes owner is withheld for one round), with the protocol's encoding round trip.
 * Pure functions; the group itself runs against the real broker in test/kafka/KafkaGroupMode*.test.ts.
 */
import { assignCooperativeSticky, type MemberSubscription } from '../../receivers/kafka/group/CooperativeStickyAssignor';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../../receivers/kafka/group/GroupProtocol';

const parts = (topic: string, n: number): Map<string, number[]> => new Map([[topic, Array.from({ length: n }, (_, i) => i)]]);
const member = (memberId: string, owned: string[] = [], generation = 1, topics = ['t']): MemberSubscription => ({ memberId, topics, owned, generation });
const counts = (a: ReadonlyMap<string, readonly string[]>): number[] => [...a.values()].map((x) => x.length).sort();

test('a new group shares the partitions out evenly, in order', () => {
  const plan = assignCooperativeSticky([member('b'), member('a'), member('c')], parts('t', 6));
  expect(Object.fromEntries(plan.assignment)).toEqual({ a: ['t-0', 't-1'], b: ['t-2', 't-3'], c: ['t-4', 't-5'] });
  expect(plan.withheld).toEqual([]);
});

test('a joining member gets its share in two rounds: withheld from the owners first, given once they let go', () => {
  const owned = { a: ['t-0', 't-1', 't-2'], b: ['t-3', 't-4', 't-5'] };
  const round1 = assignCooperativeSticky([member('a', owned.a), member('b', owned.b), member('c')], parts('t', 6));
  // Owners keep two each; the third of each moves to c, so nobody gets it this round.
  expect(Object.fromEntries(round1.assignment)).toEqual({ a: ['t-0', 't-1'], b: ['t-3', 't-4'], c: [] });
  expect(round1.withheld).toEqual(['t-2', 't-5']);
  const round2 = assignCooperativeSticky([member('a', round1.assignment.get('a') as string[], 2), member('b', ['t-3', 't-4'], 2), member('c', [], 2)], parts('t', 6));
  expect(Object.fromEntries(round2.assignment)).toEqual({ a: ['t-0', 't-1'], b: ['t-3', 't-4'], c: ['t-2', 't-5'] });
  expect(round2.withheld).toEqual([]);
});

test('a member that died leaves its partitions unclaimed: they go to the others at once, the rest stay put', () => {
  const plan = assignCooperativeSticky([member('a', ['t-0', 't-1']), member('c', ['t-4', 't-5'])], parts('t', 6));
  expect(plan.assignment.get('a')!.slice(0, 2)).toEqual(['t-0', 't-1']);
  expect(plan.assignment.get('c')).toEqual(expect.arrayContaining(['t-4', 't-5']));
  expect(counts(plan.assignment)).toEqual([3, 3]);
  expect([...plan.assignment.values()].flat().sort()).toEqual(['t-0', 't-1', 't-2', 't-3', 't-4', 't-5']);
  expect(plan.withheld).toEqual([]);
});

test('shares differ by at most one; the members that own more keep the larger shares', () => {
  const plan = assignCooperativeSticky([member('a', ['t-0', 't-1', 't-2']), member('b', ['t-3']), member('c'), member('d')], parts('t', 6));
  // Shares 2, 2, 1, 1: a keeps two of its three; its third goes to b, next round (withheld now).
  expect(Object.fromEntries(plan.assignment)).toEqual({ a: ['t-0', 't-1'], b: ['t-3'], c: ['t-4'], d: ['t-5'] });
  expect(plan.withheld).toEqual(['t-2']);
  const next = assignCooperativeSticky([member('a', ['t-0', 't-1'], 2), member('b', ['t-3'], 2), member('c', ['t-4'], 2), member('d', ['t-5'], 2)], parts('t', 6));
  expect(counts(next.assignment)).toEqual([1, 1, 2, 2]);
  expect(next.assignment.get('b')).toEqual(['t-2', 't-3']);
});

test('conflicting claims: the later generation wins, a tie goes to nobody; claims on unknown partitions are ignored', () => {
  const later = assignCooperativeSticky([member('a', ['t-0'], 3), member('b', ['t-0'], 5)], parts('t', 2));
  expect(later.assignment.get('b')).toContain('t-0');
  const tie = assignCooperativeSticky([member('a', ['t-0', 't-9'], 4), member('b', ['t-0'], 4)], parts('t', 2));
  expect(tie.withheld).toEqual([]);
  expect([...tie.assignment.values()].flat().sort()).toEqual(['t-0', 't-1']);
});

test('each topic is shared among the members that subscribe to it', () => {
  const plan = assignCooperativeSticky(
    [member('a', [], 1, ['x', 'y']), member('b', [], 1, ['x'])],
    new Map([
      ['x', [0, 1]],
      ['y', [0, 1]],
    ]),
  );
  expect(Object.fromEntries(plan.assignment)).toEqual({ a: ['x-0', 'y-0', 'y-1'], b: ['x-1'] });
});

test('the subscription and assignment encodings round-trip (owned partitions and generation in user_data)', () => {
  const sub = decodeSubscription('m-1', encodeSubscription(['t', 'u'], ['t-1', 'u-0'], 7, 'host-1'));
  expect(sub).toEqual({ memberId: 'm-1', topics: ['t', 'u'], owned: ['t-1', 'u-0'], generation: 7, name: 'host-1' });
  expect(decodeAssignment(encodeAssignment(['t-0', 't-3', 'u-1'])).sort()).toEqual(['t-0', 't-3', 'u-1']);
  expect(decodeAssignment(Buffer.alloc(0))).toEqual([]);
});
