/**
 * Rhetorical role of each abstract sentence. Roles come from the trained sentence-role model
 * (role-model.ts: a linear-chain CRF trained on CSAbstruct, weights in
 * assets/models/sentence-roles.json), which also gives each sentence a probability per role.
 * Alongside, transparent cue-word scores (`scoreSentenceRoles`) rank sentences within a role, and
 * `isImplicationSentence`/`isAvailabilitySentence` flag closing claims and release statements.
 * Everything is deterministic. The cue-only classifier of earlier versions stays available as
 * `classifySentenceRolesByCues` for comparison.
 */
import { defaultRoleModel } from './role-model.ts';
import { ROLE_LABELS, type RoleLabel } from './role-features.ts';

export type Role = RoleLabel;

/** Probability of each role for one sentence (they sum to 1). */
export type RoleProbabilities = Record<Role, number>;

/** Cue-word evidence for each role; higher means more likely (the cue classifier classes implications 'other'). */
export interface RoleScores {
  background: number;
  objective: number;
  method: number;
  result: number;
  implication: number;
}

type ScoredRole = keyof RoleScores;

/** A cue: a pattern and how much one occurrence (counted once per sentence) adds to a role. */
type Cue = readonly [pattern: RegExp, weight: number];

const BACKGROUND_CUES: readonly Cue[] = [
  [/\b(?:existing|prior|previous(?:ly)?|traditional(?:ly)?|conventional(?:ly)?|current(?:ly)?|standard|classical(?:ly)?|typically)\b/i, 1.5],
  [/\bhowever\b|\bdespite\b|\balthough\b/i, 1],
  [/\brecent(?:ly)?\b/i, 1],
  [/\bremains?\b|\bremained\b|\bopen (?:problem|question|challenge)\b/i, 1],
  [/\bchalleng/i, 1],
  [/\b(?:struggle|suffer|lack|limited|limitations?|bottleneck|hinder|difficult|costly|expensive|prohibitive)/i, 1],
  [/\b(?:has|have) (?:been|become|emerged|shown|achieved|gained|attracted|demonstrated)\b/i, 1],
  [/\b(?:widely|increasingly|growing|popular|ubiquitous)\b/i, 0.75],
  [/\b(?:crucial|critical|essential|fundamental|important|key)\b/i, 0.5],
];

const OBJECTIVE_CUES: readonly Cue[] = [
  [
    /\b(?:we|this (?:paper|work|study|article)|here,? we)\s+(?:\w+ly\s+)?(?:propose|introduce|present|develop|study|investigate|address|explore|consider|tackle|examine|analy[sz]e|revisit|aim|seek|focus|put forward|argue|ask|pose)/i,
    3,
  ],
  [/\b(?:proposes|introduces|presents|develops|investigates|addresses|explores)\b/i, 1.5],
  [/\bin this (?:paper|work|study|article|note)\b/i, 2],
  [/\bour (?:goal|aim|objective|contribution)s?\b/i, 2],
  [/\bto (?:address|tackle|overcome|bridge|fill|close|mitigate|alleviate|resolve) (?:this|these|the|such)\b/i, 1.5],
  [/\b(?:called|dubbed|named|termed|coined)\b/i, 1],
  [/\b(?:novel|new|first)\b/i, 0.5],
];

const METHOD_CUES: readonly Cue[] = [
  [
    /\bwe (?:\w+ly\s+)?(?:use|train|design|build|leverage|employ|adopt|apply|construct|derive|model|fine-tune|finetune|implement|combine|incorporate|augment|integrate|learn|parameteri[sz]e|compute|encode|decompose|extend|adapt|replace|formulate|cast|reformulate|represent|define|introduce a|first|then)\b/i,
    2.5,
  ],
  [/\bour (?:method|approach|framework|model|algorithm|system|pipeline|architecture|technique|design|solver|estimator)\b/i, 1.5],
  [/\bconsists? of\b|\bcompris(?:es|ing)\b|\bcomposed of\b|\bbuilds? (?:on|upon)\b/i, 2],
  [/\bbased on\b|\bby (?:leveraging|using|combining|introducing|learning|training|modell?ing|exploiting|decomposing|casting)\b/i, 1],
  [/\b(?:leverag|utiliz|utilis|integrat|incorporat)/i, 1],
  [/\b(?:module|encoder|decoder|architecture|pipeline|mechanism|loss|regulari[sz]|layer|embedding|sampling|estimator|procedure|scheme|strategy|objective|algorithm)s?\b/i, 0.75],
  [/\b(?:specifically|concretely|in particular)\b/i, 1],
  [/\b(?:framework|method|approach|technique)\b/i, 0.5],
];

const RESULT_CUES: readonly Cue[] = [
  [/\b(?:results|experiments|evaluations?|analys[ie]s|simulations|studies|benchmarks) (?:\w+ly\s+)?(?:show|demonstrate|indicate|reveal|confirm|suggest|validate|verify)/i, 2.5],
  [/\bwe (?:\w+ly\s+)?(?:show|demonstrate|prove|find|observe|establish|obtain|report|confirm|verify|validate|achieve)\b/i, 2],
  [/\b(?:outperform|surpass|state-of-the-art|baselines?|sota)/i, 2],
  [/\d+(?:\.\d+)?\s?(?:%|×|x\b|times\b|pp\b|points?\b|fold\b)/i, 2],
  [/\b(?:experiments?|experimental|empirical(?:ly)?|evaluations?|benchmarks?)\b/i, 1.5],
  [/\b(?:achiev|improv|reduc|boost|gains?\b|speedups?\b|faster\b|higher\b|lower\b|better\b|competitive\b|consistently\b|significantly\b)/i, 1],
  [/\b(?:accuracy|F1|BLEU|ROUGE|AUC|error rates?|perplexity|success rates?)\b/i, 1],
  [/\b(?:theorem|bounds?|guarantees?|converges?|convergence|optimal(?:ity)?)\b/i, 0.75],
  [/\d/, 0.5],
];

const IMPLICATION_CUES: readonly Cue[] = [
  [/\b(?:suggest|implications?|future|broader|pave|shed light|sheds light|insights?|underscore|highlight)/i, 1],
  [/\bopens? (?:up|new|the door|avenues)\b/i, 1],
  [/\b(?:could|may|might|potential(?:ly)?|promising|we hope)\b/i, 1],
  [/\b(?:enabl(?:e|es|ing)|practical|practitioners|real-world|deploy|applications?)\b/i, 1],
  [/\b(?:recommend|call for|direction|step toward|step towards|takeaway)/i, 1],
  [/\b(?:overall|together|taken together|in summary|in conclusion|these findings)\b/i, 1],
];

const FIRST_PERSON = /\b(?:we|our|us)\b/i;
const URL = /https?:\/\/|www\.|github\.com/i;
const RELEASE_STATEMENT =
  /\b(?:code|implementation|data(?:sets?)?|models?|weights|benchmark|checkpoints)\b.{0,80}?\b(?:is|are|will be|has been|have been)\s+(?:made\s+)?(?:publicly\s+|freely\s+|openly\s+)?(?:available|released|open-sourced)|\bwe (?:will )?(?:release|open-source)\b/i;

function cueScore(sentence: string, cues: readonly Cue[]): number {
  let score = 0;
  for (const [pattern, weight] of cues) if (pattern.test(sentence)) score += weight;
  return score;
}

function wordCount(sentence: string): number {
  return sentence.split(/\s+/).filter(Boolean).length;
}

/** "Code is available at https://..." and similar: abstract text, but neither result nor implication. */
export function isAvailabilitySentence(sentence: string): boolean {
  return RELEASE_STATEMENT.test(sentence) || (URL.test(sentence) && wordCount(sentence) <= 25);
}

/** Where a sentence sits in its abstract; position is half of what this classifier knows. */
export interface SentencePosition {
  index: number;
  total: number;
}

function implicationScore(sentence: string, position?: SentencePosition): number {
  let score = cueScore(sentence, IMPLICATION_CUES);
  if (position !== undefined) {
    const relative = position.total > 1 ? position.index / (position.total - 1) : 1;
    if (position.index === position.total - 1) score += 1;
    else if (relative >= 0.6) score += 0.5;
    else if (relative < 0.4) score -= 1;
  }
  return score;
}

/** Minimum implication evidence (cues plus position) for a sentence to count as an implication. */
const IMPLICATION_THRESHOLD = 2;

/**
 * Whether a sentence states what the work means or enables (suggests, could, future, broader,
 * enables...). With a position, closing sentences need fewer cues. Release statements never count.
 */
export function isImplicationSentence(sentence: string, position?: SentencePosition): boolean {
  if (isAvailabilitySentence(sentence)) return false;
  return implicationScore(sentence, position) >= IMPLICATION_THRESHOLD;
}

/** Scores every sentence for every role; the engine uses them to rank sentences within a role. */
export function scoreSentenceRoles(sentences: readonly string[]): RoleScores[] {
  const total = sentences.length;
  return sentences.map((sentence, index) => {
    const relative = total > 1 ? index / (total - 1) : 0;
    const scores: RoleScores = {
      background: cueScore(sentence, BACKGROUND_CUES),
      objective: cueScore(sentence, OBJECTIVE_CUES),
      method: cueScore(sentence, METHOD_CUES),
      result: cueScore(sentence, RESULT_CUES),
      implication: implicationScore(sentence, { index, total }),
    };
    // Abstracts open with context, state the aim early, describe the method in the middle and
    // close with results and what they mean.
    if (index === 0) scores.background += 1;
    else if (relative <= 0.34) scores.background += 0.5;
    else if (relative > 0.6) scores.background -= 1.5;
    if (FIRST_PERSON.test(sentence)) scores.background -= 1.5;
    if (relative <= 0.5) scores.objective += 0.5;
    else if (relative > 0.75) scores.objective -= 1;
    if (relative > 0.2 && relative < 0.8) scores.method += 0.3;
    if (relative >= 0.5) scores.result += 0.5;
    if (index === 0 && total > 1) scores.result -= 1;
    else if (relative < 0.3) scores.result -= 0.5;
    return scores;
  });
}

/** Fixed tie-break order so classification is deterministic. */
const ROLE_ORDER: readonly ScoredRole[] = ['objective', 'result', 'method', 'background', 'implication'];

/** Below this much evidence a sentence is 'other' rather than a guess. */
const MIN_ROLE_SCORE = 1;

function roleFromScores(sentence: string, scores: RoleScores): Role {
  if (isAvailabilitySentence(sentence)) return 'other';
  let best: ScoredRole = 'objective';
  for (const role of ROLE_ORDER) if (scores[role] > scores[best]) best = role;
  if (scores[best] < MIN_ROLE_SCORE) return 'other';
  // Implications have no role of their own: they are 'other', found again via isImplicationSentence.
  return best === 'implication' ? 'other' : best;
}

/** A sentence's role together with the evidence behind it. */
export interface SentenceRoleAnalysis {
  /** The trained model's role (Viterbi over the abstract); release statements are always 'other'. */
  role: Role;
  /** Cue-word evidence per role, for ranking sentences within a role. */
  scores: RoleScores;
  /** The trained model's marginal probability of each role. */
  probabilities: RoleProbabilities;
}

const EMPTY_SCORES: RoleScores = { background: 0, objective: 0, method: 0, result: 0, implication: 0 };

function toProbabilities(values: readonly number[] | undefined): RoleProbabilities {
  const probabilities = {} as RoleProbabilities;
  ROLE_LABELS.forEach((label, k) => {
    probabilities[label] = values?.[k] ?? 0;
  });
  return probabilities;
}

/** Roles, probabilities and cue scores in one pass, same order and length as the input. */
export function analyseSentenceRoles(sentences: readonly string[]): SentenceRoleAnalysis[] {
  const scores = scoreSentenceRoles(sentences);
  const prediction = defaultRoleModel().predict(sentences);
  return sentences.map((sentence, index) => {
    const predicted = prediction.labels[index] ?? 'other';
    return {
      role: isAvailabilitySentence(sentence) ? 'other' : predicted,
      scores: scores[index] ?? EMPTY_SCORES,
      probabilities: toProbabilities(prediction.probabilities[index]),
    };
  });
}

/** One role per sentence from the trained model, same order and length as the input. */
export function classifySentenceRoles(sentences: readonly string[]): Role[] {
  const labels = defaultRoleModel().labels(sentences);
  return sentences.map((sentence, index) => (isAvailabilitySentence(sentence) ? 'other' : (labels[index] ?? 'other')));
}

/** The earlier cue-word-and-position classifier, kept as a transparent point of comparison. */
export function classifySentenceRolesByCues(sentences: readonly string[]): Role[] {
  const scores = scoreSentenceRoles(sentences);
  return sentences.map((sentence, index) => roleFromScores(sentence, scores[index] ?? EMPTY_SCORES));
}
