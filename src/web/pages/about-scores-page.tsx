import {
  CALIBRATION_DAYS,
  MATERIAL_CHANGE_OVERLAP,
  MAX_DF_SHARE,
  MAX_REFERENCE,
  MIN_PRUNED_DF,
  MIN_REFERENCE,
  NOVELTY_NEIGHBOURS,
  QUERY_TERMS,
  RERANK_CANDIDATES,
  SCORING_METHOD,
  SELECTION_METHOD,
  SELECTION_SIGNAL_LABELS,
  SELECTION_SIGNALS,
  type RecallFigures,
} from '../../domain/scoring.ts';
import { RUBRIC_CRITERIA, RUBRIC_QUESTIONS } from '../../domain/rubric.ts';
import { Layout } from '../layout.tsx';
import { selectionFigures } from '../selection-figures.ts';

const percent = (x: number): string => `${(100 * x).toFixed(1)} %`;

function FigureRow({ name, figures }: { name: string; figures: RecallFigures }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td>{percent(figures.recall)}</td>
      <td>{percent(figures.upvoteRecall)}</td>
    </tr>
  );
}

/** /about/scores: both scores and the selection, with the constants the code uses (imported, so they cannot drift). */
export function AboutScoresPage({ maxTagShare, digestSize }: { maxTagShare: number; digestSize: number }) {
  const figures = selectionFigures();
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
        <p>
          The chance, from 0 to 100, that researchers pick the paper: a model learned from which papers of an arXiv
          announcement day Hugging Face Daily Papers featured that day (a community's choice, biased towards machine-learning
          and language-model topics, papers with code and authors active there). It reads only what is known when the paper
          is announced, never popularity:
        </p>
        <ul>
          {SELECTION_SIGNALS.map((k) => (
            <li>{SELECTION_SIGNAL_LABELS[k]}</li>
          ))}
        </ul>
        <p>
          A logistic regression with an L2 penalty weighs them (the topic as indicators of the words of title and abstract
          that at least five training papers use); its output is calibrated by Platt scaling on predictions for days the model
          was not trained on, so an AI Score of 20 means that about one paper in five scored like this was picked. The paper
          page lists what each signal added. Novelty is shown beside it but is not one of its signals, so a paper far from
          everything is not carried up by its distance alone. When an LLM summarises the paper, it also fills in a rubric, each
          criterion scored 1 to 5 with a one-line reason, shown on the paper page for reference; it does not change the AI
          Score.
        </p>
        <ul>
          {RUBRIC_CRITERIA.map((c) => (
            <li>
              <code>{c}</code>: {RUBRIC_QUESTIONS[c]}
            </li>
          ))}
        </ul>
        {figures ? (
          <>
            <p>
              How well it picks, measured by leave-one-day-out cross-validation on {figures.days} announcement days (
              {figures.firstDay} to {figures.lastDay}, {figures.papers} papers, {figures.positives} of them featured): each
              day's papers ranked by a model trained on the other days. The figure is the share of the featured papers that
              land in their day's top {figures.k}, beside simple rankings measured on the same days (model{' '}
              <code>{figures.model}</code>, <code>{figures.command}</code>).
            </p>
            <div class="table-scroll" role="region" aria-label="Selection figures" tabindex={0}>
              <table class="signals">
                <thead>
                  <tr>
                    <th scope="col">ranking</th>
                    <th scope="col">featured papers in the top {figures.k}</th>
                    <th scope="col">weighted by upvotes</th>
                  </tr>
                </thead>
                <tbody>
                  <FigureRow name="selection model (AI Score)" figures={figures.selectionModel} />
                  <FigureRow name={`a random ${figures.k} (expectation)`} figures={figures.random} />
                  <FigureRow name="most authors first" figures={figures.mostAuthors} />
                  <FigureRow name={`a simple rule: ${figures.heuristic.rule}`} figures={figures.heuristic} />
                </tbody>
              </table>
            </div>
            <p>
              These are figures on the training period; the featured lists were saved early on each day, so some later picks
              count as misses.
            </p>
          </>
        ) : (
          <p>The cross-validated figures of this model are not available in this installation.</p>
        )}

        <h2 id="selection">The daily selection</h2>
        <ul>
          <li>
            Papers announced that day in the followed categories are ranked by their AI Score (method{' '}
            <code>{SELECTION_METHOD}</code>); the top {digestSize} are selected.
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
          <li>Each card's "why this paper" line gives its AI Score, its rank that day, its Novelty and the signals that raised its AI Score most.</li>
          <li>
            Every paper of a day, with its scores, is listed at <code>/digest/YYYY-MM-DD/all</code>.
          </li>
        </ul>
      </article>
    </Layout>
  );
}
