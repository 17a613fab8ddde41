import type { PaperScores } from '../../digest/scores.ts';
import { SELECTION_SIGNAL_LABELS, type ScoreDetails } from '../../domain/scoring.ts';
import { RUBRIC_CRITERIA } from '../../domain/rubric.ts';
import { MathText } from '../math.tsx';

/** "Novelty 87 % · AI Score 74", linked to the page that explains both. */
export function ScoreBadges({ scores }: { scores: PaperScores | null }) {
  if (!scores) return <span class="scores">Not scored yet</span>;
  return (
    <a class="scores" href="/about/scores" title="How the scores are computed">
      <span data-score="novelty">Novelty {Math.round(scores.novelty)} %</span> · <span data-score="ai">AI Score {Math.round(scores.aiScore)}</span>
    </a>
  );
}

/** The paper page's account of its scores: what went in, and the prior papers it was compared with. */
export function ScoreExplanation({ scores, details }: { scores: PaperScores; details: ScoreDetails }) {
  const { novelty, aiScore } = details;
  return (
    <section class="score-details" aria-labelledby="scores-heading">
      <h2 id="scores-heading">Scores</h2>
      <p>
        <strong>Novelty {Math.round(scores.novelty)} %</strong>: more distant from its {novelty.k} closest earlier papers than{' '}
        {Math.round(scores.novelty)} % of {novelty.reference.papers} reference papers were from theirs (
        {novelty.reference.sameDay ? 'papers of the same day, while the store holds under 30 days' : `papers of the previous ${novelty.reference.days} days`}; distance{' '}
        {novelty.distance.toFixed(3)}). <a href="/about/scores">How scores work</a>
      </p>
      {novelty.closest.length > 0 ? (
        <>
          <h3>Closest prior papers</h3>
          <ol class="closest">
            {novelty.closest.map((c) => (
              <li>
                <a href={`/papers/${c.id}`}>
                  <MathText text={c.title} />
                </a> <span class="similarity">({Math.round(c.similarity * 100)} % similar)</span>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p>No earlier paper in the store shares its vocabulary.</p>
      )}
      <p>
        <strong>AI Score {Math.round(scores.aiScore)}</strong>: the selection model's calibrated chance ({Math.round(scores.aiScore)} %) that
        researchers pick this paper, from what is known on its announcement day.
      </p>
      {/* Wider than a phone: the table scrolls in its own focusable region, never the page. */}
      <div class="table-scroll" role="region" aria-label="Selection signals" tabindex={0}>
        <table class="signals">
          <caption>Signals, by what they added to the chance (log-odds)</caption>
          <thead>
            <tr>
              <th scope="col">signal</th>
              <th scope="col">effect</th>
              <th scope="col">measured</th>
            </tr>
          </thead>
          <tbody>
            {aiScore.signals.map((s) => (
              <tr>
                <th scope="row">{SELECTION_SIGNAL_LABELS[s.key]}</th>
                <td>{`${s.contribution >= 0 ? '+' : '−'}${Math.abs(s.contribution).toFixed(2)}`}</td>
                <td>{s.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {aiScore.rubric ? (
        <>
          <p>The summarising LLM's rubric, shown for reference (it does not change the AI Score):</p>
          <ul class="rubric">
            {RUBRIC_CRITERIA.map((c) => (
              <li>
                {c}: {aiScore.rubric![c].score}/5 — {aiScore.rubric![c].why}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
