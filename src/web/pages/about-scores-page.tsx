import { SIGNAL_DEFINITIONS, SIGNAL_LABELS, SIGNAL_WEIGHTS, type SignalKey } from '../../score/ai-score.ts';
import { SCORING_METHOD } from '../../score/details.ts';
import { CALIBRATION_DAYS, MAX_REFERENCE, MIN_REFERENCE, NOVELTY_NEIGHBOURS } from '../../score/novelty.ts';
import { MAX_DF_SHARE, MIN_PRUNED_DF, QUERY_TERMS, RERANK_CANDIDATES } from '../../score/text-index.ts';
import { MATERIAL_CHANGE_OVERLAP } from '../../select/material-change.ts';
import { AI_SCORE_WEIGHT, NOVELTY_WEIGHT, SELECTION_METHOD } from '../../select/select-digest.ts';
import { RUBRIC_CRITERIA, RUBRIC_QUESTIONS } from '../../domain/rubric.ts';
import { Layout } from '../layout.tsx';

/** /about/scores: both scores and the selection, with the constants the code uses (imported, so they cannot drift). */
export function AboutScoresPage({ maxTagShare, digestSize }: { maxTagShare: number; digestSize: number }) {
  const keys = Object.keys(SIGNAL_WEIGHTS) as SignalKey[];
  return (
    <Layout title="How papersift scores papers — papersift" description="Novelty %, AI Score and the daily selection, explained.">
      <article class="about">
        <h1>How papersift scores and selects papers</h1>
        <p>
          Every paper gets two numbers from 0 to 100, stored with the version of the method that computed them (now{' '}
          <code>{SCORING_METHOD}</code>). They depend only on the papers and summaries in the store: recomputing with the same
          method and data gives the same numbers.
        </p>

        <h2 id="novelty">Novelty %</h2>
        <p>How far a paper is from the prior literature papersift knows, found by retrieval:</p>
        <ol>
          <li>
            Title and abstract become a TF-IDF vector: lowercase words of three or more characters, plurals folded, stopwords
            and words found in more than {Math.round(MAX_DF_SHARE * 100)} % of the stored papers (and more than {MIN_PRUNED_DF}) left out; weight (1 + ln tf) ×
            ln(N / df), normalised to length 1.
          </li>
          <li>
            The {NOVELTY_NEIGHBOURS} nearest <em>earlier</em> papers (first version submitted before it; on the same date, a
            smaller arXiv id, as arXiv numbers papers in submission order) by cosine similarity are found: candidates share the
            paper's {QUERY_TERMS} heaviest words, and the best {RERANK_CANDIDATES} of them are ranked by their exact cosine. The
            paper page names the neighbours.
          </li>
          <li>
            <code>distance = 1 − mean similarity of those {NOVELTY_NEIGHBOURS}</code> (a missing neighbour counts as 0).
          </li>
          <li>
            <strong>Novelty % = the share of reference papers whose distance is smaller</strong> (ties count half). The reference
            is the papers announced in the previous {CALIBRATION_DAYS} days (a fixed sample of at most {MAX_REFERENCE}); so 90 %
            means "more distant from its prior papers than 90 % of recent papers were from theirs". While the store holds less
            than {CALIBRATION_DAYS} days of announcements (or fewer than {MIN_REFERENCE} papers in the window), the paper's own
            day is the reference, because older papers had fewer earlier papers to be near.
          </li>
        </ol>

        <h2 id="ai-score">AI Score</h2>
        <p>How much a reader of the digest would gain from the paper. It has two versions; the paper page says which one scored it.</p>
        <h3>With an LLM configured: the rubric</h3>
        <p>
          The LLM that writes the summary fills in a rubric in the same call (no extra call per paper). Each criterion is scored
          1 to 5 and justified in one line, shown on the paper page:
        </p>
        <ul>
          {RUBRIC_CRITERIA.map((c) => (
            <li>
              <code>{c}</code>: {RUBRIC_QUESTIONS[c]}
            </li>
          ))}
        </ul>
        <p>
          <code>AI Score = 100 × mean over the four criteria of (score − 1) / 4</code>. Justifications must pass the same
          faithfulness check as the summary (no number or benchmark the paper does not state); a missing or failing rubric is
          dropped and the offline version scores the paper.
        </p>
        <h3>Offline: a weighted mean of signals</h3>
        <p>
          <code>AI Score = 100 × Σ weight × value / Σ weight</code>, over the signals that are known, each value between 0 and 1:
        </p>
        <table class="signals">
          <thead>
            <tr>
              <th scope="col">signal</th>
              <th scope="col">weight</th>
              <th scope="col">value</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr>
                <th scope="row">{SIGNAL_LABELS[k]}</th>
                <td>{SIGNAL_WEIGHTS[k]}</td>
                <td>{SIGNAL_DEFINITIONS[k]}</td>
              </tr>
            ))}
          </tbody>
        </table>

        <h2 id="selection">The daily selection</h2>
        <ul>
          <li>
            Papers announced that day in the followed categories are ranked by{' '}
            <code>
              combined = {NOVELTY_WEIGHT} × Novelty % + {AI_SCORE_WEIGHT} × AI Score
            </code>{' '}
            (method <code>{SELECTION_METHOD}</code>); the top {digestSize} are selected.
          </li>
          <li>
            Diversity: no topic tag may be carried by more than {Math.round(maxTagShare * 100)} % of the digest (at most{' '}
            {Math.max(1, Math.floor(digestSize * maxTagShare))} papers); a paper that would break this is skipped, and a day too
            uniform to fill the digest within it gets a shorter digest.
          </li>
          <li>A cross-listed paper counts once, and a paper shown in an earlier digest is not shown again.</li>
          <li>
            A new version is a candidate only when it changed materially: a new title, or an abstract sharing less than{' '}
            {Math.round(MATERIAL_CHANGE_OVERLAP * 100)} % of its words with the previous version.
          </li>
          <li>Each card's "why this paper" line gives its scores, its rank that day and the signals that decided its AI Score.</li>
          <li>
            Every paper of a day, with its scores, is listed at <code>/digest/YYYY-MM-DD/all</code>.
          </li>
        </ul>
      </article>
    </Layout>
  );
}
