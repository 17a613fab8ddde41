import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idsConflict, idsShare, matchAuthorLists, namesMatch } from '../../src/enrich/identity.ts';

test('names match on family name plus compatible given names, initials included, either order', () => {
  assert.ok(namesMatch('Trung-Nghia Le', 'T. Le'));
  assert.ok(namesMatch('Esther Duflo', 'E. Duflo'));
  assert.ok(namesMatch('José García', 'Jose Garcia'));
  assert.ok(namesMatch('Wei Wang', 'Wang Wei'));
  assert.ok(!namesMatch('Li Zhang', 'Lei Zhang'), 'two different full given names');
  assert.ok(!namesMatch('Li Zhang', 'Li Zhao'));
  assert.ok(!namesMatch('', 'Li Zhang'));
});

test('author lists match by position and name; a shifted list matches only where unambiguous', () => {
  const arxiv = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'];
  const same = matchAuthorLists(arxiv, [{ id: '1', name: 'A. Lovelace' }, { id: '2', name: 'A. M. Turing' }, { id: '3', name: 'Grace B. Hopper' }]);
  assert.deepEqual([...same].map(([p, a]) => [p, a.id]), [[0, '1'], [1, '2'], [2, '3']]);
  // The source dropped the first author: the others are found one place earlier.
  const shifted = matchAuthorLists(arxiv, [{ id: '2', name: 'Alan Turing' }, { id: '3', name: 'Grace Hopper' }]);
  assert.deepEqual([...shifted].map(([p, a]) => [p, a.id]).sort(), [[1, '2'], [2, '3']]);
  // Same position but another name is no match; an author without id is never linked.
  const wrong = matchAuthorLists(arxiv, [{ id: '9', name: 'Someone Else' }, { id: null, name: 'Alan Turing' }]);
  assert.equal(wrong.size, 0);
  // Two arXiv authors that could both be the one source author: neither is linked by name alone.
  const ambiguous = matchAuthorLists(['J. Smith', 'John Smith', 'Eve Adams'], [{ id: '7', name: 'Eve Adams' }, { id: '8', name: 'Jane Doe' }, { id: '5', name: 'J. Smith' }]);
  assert.deepEqual([...ambiguous].map(([p, a]) => [p, a.id]), [[2, '7']]);
});

test('ids: sharing one joins, holding different ids of one kind conflicts', () => {
  const a = { semanticScholarId: '1', openAlexId: null, orcid: '0000-0001-0000-0001' };
  assert.ok(idsShare(a, { semanticScholarId: null, openAlexId: 'A5', orcid: '0000-0001-0000-0001' }));
  assert.ok(!idsConflict(a, { semanticScholarId: null, openAlexId: 'A5', orcid: null }));
  assert.ok(idsConflict(a, { semanticScholarId: '2', openAlexId: null, orcid: '0000-0001-0000-0001' }));
});
