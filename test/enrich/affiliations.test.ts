import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortInstitutionName } from '../../src/domain/affiliations.ts';

test('short names: the mapping table first, whatever the spelling details', () => {
  assert.equal(shortInstitutionName('University of Washington'), 'uw');
  assert.equal(shortInstitutionName('Google DeepMind'), 'deepmind');
  assert.equal(shortInstitutionName('Carnegie Mellon University'), 'cmu');
  assert.equal(shortInstitutionName('Carnegie Mellon University (United States)'), 'cmu', 'OpenAlex country suffix');
  assert.equal(shortInstitutionName('ETH Zürich'), 'eth');
  assert.equal(shortInstitutionName('University of California, Berkeley'), 'berkeley');
});

test('short names: the derivation rule for names not in the table', () => {
  assert.equal(shortInstitutionName('Korea Institute of Science and Technology (KIST)'), 'kist', 'acronym given by the name');
  assert.equal(shortInstitutionName('University of Edinburgh'), 'edinburgh', 'one distinctive word');
  assert.equal(shortInstitutionName('Seattle University'), 'seattle');
  assert.equal(shortInstitutionName('OurResearch'), 'ourresearch');
  assert.equal(shortInstitutionName('Impact Technology Development (United States)'), 'itd', 'initials; a country in parentheses is no acronym');
  assert.equal(shortInstitutionName('Technical University of Munich'), 'tum', 'initials when two words are distinctive');
});
