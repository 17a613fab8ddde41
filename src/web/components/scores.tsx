import type { PaperScores } from '../../digest/scores.ts';
import type { ScoreDetails } from '../../score/details.ts';
import { SIGNAL_LABELS } from '../../score/ai-score.ts';
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
        <strong>AI Score {Math.round(scores.aiScore)}</strong>:{' '}
        {aiScore.source === 'llm-rubric' ? 'from the rubric the summarising LLM filled in' : 'from the offline signals'}.
      </p>
      {aiScore.source === 'llm-rubric' && aiScore.rubric ? (
        <ul class="rubric">
          {RUBRIC_CRITERIA.map((c) => (
            <li>
              {c}: {aiScore.rubric![c].score}/5 — {aiScore.rubric![c].why}
            </li>
          ))}
        </ul>
      ) : null}
      {/* Wider than a phone: the table scrolls in its own focusable region, never the page. */}
      <div class="table-scroll" role="region" aria-label="Offline signals" tabindex={0}>
        <table class="signals">
          <caption>Offline signals{aiScore.source === 'llm-rubric' ? ` (offline score ${Math.round(aiScore.offline)}, for comparison)` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">signal</th>
              <th scope="col">value</th>
              <th scope="col">weight</th>
              <th scope="col">measured</th>
            </tr>
          </thead>
          <tbody>
            {aiScore.signals.map((s) => (
              <tr>
                <th scope="row">{SIGNAL_LABELS[s.key]}</th>
                <td>{s.value === null ? 'unknown' : s.value.toFixed(2)}</td>
                <td>{s.weight}</td>
                <td>{s.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
