/**
 * Topic tags from arXiv categories and weighted keyword rules: transparent, deterministic, offline.
 * Every rule is a line below; a tag's score is its category prior plus the weights of the rules
 * that fire in the title (counted double: titles are dense and deliberate) and the abstract.
 */
import { TAXONOMY, type Tag } from '../../domain/taxonomy.ts';

export interface TaggerInput {
  title: string;
  abstract: string;
  categories: string[];
}

/**
 * How strongly an arXiv category alone suggests a tag. cs.LG, stat.ML, cs.AI and cs.NE say
 * nothing about the topic, so they have no prior.
 */
const CATEGORY_PRIORS: Readonly<Record<string, ReadonlyArray<readonly [Tag, number]>>> = {
  'cs.CV': [['Computer Vision', 4]],
  'eess.IV': [['Computer Vision', 3]],
  'cs.GR': [['Computer Vision', 2]],
  'cs.CL': [['NLP', 4]],
  'cs.IR': [['NLP', 1]],
  'cs.RO': [['Robotics', 4]],
  'math.OC': [['Optimization', 4]],
  'cs.MA': [['Reinforcement Learning', 1.5]],
  'cs.MM': [['Multimodal', 3]],
  'eess.AS': [['Multimodal', 1]],
  'cs.SD': [['Multimodal', 1]],
  'cs.SI': [['Graph Learning', 1.5]],
  'cs.AR': [['Efficient ML', 3]],
  'cs.PF': [['Efficient ML', 2]],
  'cs.DC': [['Efficient ML', 1.5]],
  'stat.TH': [['Theory', 4]],
  'math.ST': [['Theory', 4]],
  'math.PR': [['Theory', 3]],
  'cs.DS': [['Theory', 3]],
  'cs.CC': [['Theory', 3]],
  'cs.IT': [['Theory', 2.5]],
  'math.IT': [['Theory', 2.5]],
  'cs.GT': [['Theory', 2]],
  'cs.LO': [['Theory', 2]],
  'cs.FL': [['Theory', 2]],
  'math.NA': [['Optimization', 1]],
  'eess.SY': [['Optimization', 1]],
  'cs.SY': [['Optimization', 1]],
};

/** Cross-listed categories count for less than the primary (first) one. */
const CROSS_LIST_FACTOR = 0.6;

/**
 * A keyword rule. Words and phrases are matched case-insensitively (`/i`); acronyms (LLM, GAN, RL,
 * FL, SGD, Adam, CLIP...) are matched case-sensitively so that ordinary words ("fl", "adam", "clip")
 * never fire. Word boundaries are explicit: `\bagents?\b` matches "agent(s)" but not "agentic"
 * (LLM agents are not reinforcement learning); stems such as `interpretab\w*` are deliberate.
 */
type Rule = readonly [tag: Tag, pattern: RegExp, weight: number];

const RULES: readonly Rule[] = [
  // Large Language Models
  ['Large Language Models', /\blarge language models?\b/i, 5],
  ['Large Language Models', /\b(?:M|V)?LLMs?\b/, 4],
  ['Large Language Models', /\bLVLMs?\b/, 3],
  ['Large Language Models', /\bGPT(?:-[\w.]+)?\b|\bChatGPT\b/, 3],
  ['Large Language Models', /\b(?:transformer )?language models?\b/i, 3],
  ['Large Language Models', /\b(?:chain-of-thought|in-context learning|instruction[- ]tun|RLHF|jailbreak|hallucinat)/i, 3],
  ['Large Language Models', /\b(?:LLaMA|Llama|Qwen|Mistral|Gemini|Claude|DeepSeek)\b/, 3],
  // Transformer architecture work (attention, MoE, long context) is language-model work first.
  ['Large Language Models', /\blong-context\b|\bcontext (?:window|length)s?\b|\bmixture[- ]of[- ]experts\b|\bMoE\b|\bKV[- ]cache\b|\bdecoding\b/i, 2],
  ['Large Language Models', /\b(?:self-|softmax |sparse )?attention\b|\btransformers?\b/i, 0.75],
  // Weak: vision papers have prompts too ("self-prompting", "material prompts").
  ['Large Language Models', /\bprompt(?:s|ing|ed)?\b/i, 1],
  ['Large Language Models', /\b(?:retrieval-augmented generation|RAG|LLM-as-a-judge|reasoning traces?|LLM agents?)\b/i, 3],
  // "Foundation models" are as often vision models: only reasoning models count here.
  ['Large Language Models', /\breasoning models?\b/i, 1.5],
  // NLP
  ['NLP', /\bnatural language\b|\bNLP\b/i, 2.5],
  // Bare "translation" is often image-to-image translation.
  ['NLP', /\b(?:machine|speech|cross-lingual|LLM-based) translation\b|\btranslat\w* (?:into|from|between) (?:\w+ )?languages?\b/i, 2.5],
  ['NLP', /\bquestion answering\b|\bsummari[sz]ation\b|\bsentiment\b|\bnamed entit/i, 2.5],
  ['NLP', /\b(?:linguistic|corpus|corpora|dialogue|lexical|syntactic|tokeni[sz])/i, 2],
  ['NLP', /\blanguages?\b/i, 1],
  ['NLP', /\btexts?\b|\btextual\b/i, 1],
  ['NLP', /\bspeech\b/i, 1],
  // Reinforcement Learning
  ['Reinforcement Learning', /\breinforcement learning\b/i, 5],
  ['Reinforcement Learning', /\b(?:MA)?RL\b/, 3],
  ['Reinforcement Learning', /\bpolicy (?:gradient|optimi[sz]ation|iteration|learning)\b|\bQ-learning\b|\bMarkov decision\b|\bMDPs?\b/i, 3],
  ['Reinforcement Learning', /\brewards?\b/i, 1.5],
  ['Reinforcement Learning', /\bpolic(?:y|ies)\b/i, 1],
  // Weak: most "agents" in 2026 abstracts are LLM agents, not RL agents.
  ['Reinforcement Learning', /\bagents?\b|\bmulti-agent\b/i, 0.5],
  ['Reinforcement Learning', /\b(?:MA)?PPO\b|\bGRPO\b|\bDQN\b|\bSAC\b/, 3],
  ['Reinforcement Learning', /\bactor-critic\b|\bvalue functions?\b/i, 2.5],
  ['Reinforcement Learning', /\bbandits?\b|\boffline RL\b/i, 2],
  ['Reinforcement Learning', /\bRLVR\b|\bverifiable rewards\b|\btemporal-difference\b|\breward models?\b|\bzero-sum games?\b/i, 3],
  // Efficient ML
  ['Efficient ML', /\bquanti[sz](?:ation|ed|ing|e)\b/i, 3],
  ['Efficient ML', /\bpruning\b|\bpruned\b/i, 3],
  // Self-distillation and "distilling evidence" are training signals, not compression.
  ['Efficient ML', /(?<!self-)\bknowledge distillation\b|\bdistill(?:ed|ing)? (?:into )?(?:a )?(?:smaller|compact|student)\b/i, 2.5],
  ['Efficient ML', /\bresource-(?:efficient|constrained)\b|\bcomputational (?:cost|complexity|overhead)\b|\btoken (?:reduction|pruning|compression)\b|\binference cost\b/i, 2],
  ['Efficient ML', /\bmemory footprint\b|\bsparse attention\b|\bKV[- ]cache\b|\bspeculative decoding\b|\bparameter-efficient\b/i, 3],
  ['Efficient ML', /\blatency\b|\bspeed-?ups?\b|\bthroughput\b|\bFLOPs\b/i, 2],
  ['Efficient ML', /\b(?:model )?compression\b|\blow-rank adaptation\b|\bLoRA\b|\bon-device\b|\bedge devices?\b|\blightweight\b/i, 2],
  ['Efficient ML', /\befficien(?:t|cy|tly)\b/i, 1],
  ['Efficient ML', /\bmixture[- ]of[- ]experts\b|\bMoE\b|\baccelerat/i, 1],
  // Theory
  ['Theory', /\btheorems?\b|\bwe prove\b|\bprove that\b|\blemma\b/i, 3],
  ['Theory', /\bconvergence rates?\b|\bsample complexity\b|\bgenerali[sz]ation bounds?\b|\bminimax\b/i, 3],
  ['Theory', /\b(?:upper|lower|regret|error|tight) bounds?\b|\bregret\b/i, 2.5],
  ['Theory', /\bprovabl[ey]\b|\bNP-hard\b|\bpolynomial[- ]time\b/i, 2],
  ['Theory', /\bPAC\b/, 2],
  ['Theory', /\bexpressiv(?:ity|e power)\b|\bproofs?\b|\bwe derive\b|\bderives?\b|\bformali[sz]\w*|\bclosed-form\b|\btheoretical (?:analysis|framework|results?)\b/i, 2],
  ['Theory', /\bgeometr(?:y|ic)\b|\bmathematical\b|\bcombinatorial\b/i, 1],
  ['Theory', /\bconformal\b|\bfinite-sample\b|\bdistribution-free\b|\binformation-theoretic\b|\bfundamental limits?\b|\bcapacity\b|\b(?:linear|error-correcting|analog|Reed-Muller|polar) codes?\b|\bequilibri(?:um|a)\b/i, 2],
  ['Theory', /\bcomplexity\b/i, 0.5],
  ['Theory', /\btheoretical(?:ly)?\b|\basymptotic|\bguarantees?\b|\bbounds?\b/i, 1.5],
  // Graph Learning
  ['Graph Learning', /\bgraph neural\b|\bGNNs?\b/i, 4],
  ['Graph Learning', /\bnode classification\b|\blink prediction\b|\bmessage[- ]passing\b|\bgraph transformers?\b/i, 3],
  ['Graph Learning', /\bknowledge graphs?\b|\bhypergraphs?\b|\bmolecular graphs?\b/i, 2],
  ['Graph Learning', /\bgraphs?\b/i, 0.75],
  ['Graph Learning', /\bGraphRAG\b|\bgraph-text\b|\bgraph (?:learning|representation|embedding)s?\b/i, 3],
  // Generative Models
  ['Generative Models', /\bdiffusion models?\b|\bdenoising diffusion\b|\bflow matching\b|\bnormali[sz]ing flows?\b|\bscore-based\b/i, 3],
  ['Generative Models', /\bGANs?\b|\bVAEs?\b/, 3],
  ['Generative Models', /\bvariational autoencoders?\b|\bgenerative adversarial\b/i, 3],
  ['Generative Models', /\btext-to-(?:image|video|3D|speech)\b|\b(?:image|video|3D) generation\b/i, 3],
  ['Generative Models', /\bgenerative\b/i, 2],
  ['Generative Models', /\bdiffusion transformers?\b|\bDiTs?\b|\bflow models?\b|\bT2I\b|\b(?:video|image|motion|shape|scene|3D) (?:editing|synthesis)\b|\bview synthesis\b|\binpainting\b|\binverse design\b/i, 3],
  ['Generative Models', /\bdiffusion\b/i, 2],
  ['Generative Models', /\bsynthesi[sz]/i, 1],
  // Multimodal
  ['Multimodal', /\bvision[- ]language\b|\bL?VLMs?\b|\bMLLMs?\b/i, 4],
  ['Multimodal', /\bmulti-?modal(?:ity|ities)?\b|\bcross-modal\b|\bimage-text\b|\baudio-visual\b/i, 3],
  ['Multimodal', /\bvisual question answering\b|\bVQA\b|\bCLIP\b/, 3],
  ['Multimodal', /\bmodalit(?:y|ies)\b/i, 2],
  ['Multimodal', /\bopen-vocabulary\b|\breport generation\b|\btext-guided\b|\btext-enhanced\b|\b(?:audio|speech|graph|image|video)-(?:text|language)\b|\bvision-language-action\b|\bVLAs?\b|\bUMMs?\b/i, 3],
  // Interpretability
  ['Interpretability', /\binterpretab\w*|\bexplainab\w*|\bXAI\b|\bmechanistic\b/i, 3],
  ['Interpretability', /\bsparse autoencoders?\b|\bsaliency\b|\bcounterfactual explanations?\b|\bfeature attributions?\b/i, 3],
  ['Interpretability', /\battributions?\b|\bprobing\b/i, 2],
  ['Interpretability', /\bexplanations?\b|\bcircuits?\b|\btransparen\w*/i, 1.5],
  ['Interpretability', /\binternal representations?\b|\brepresentational\b|\bactivation steering\b|\bsteering\b|\blinear probes?\b|\bgeometry of\b/i, 2.5],
  // Time Series
  ['Time Series', /\btime[- ]series\b/i, 4],
  ['Time Series', /\bforecast\w*/i, 3],
  ['Time Series', /\bspatio-?temporal\b/i, 1],
  // Federated Learning
  ['Federated Learning', /\bfederated\b/i, 5],
  ['Federated Learning', /\bFL\b/, 2],
  ['Federated Learning', /\bclients?\b/i, 1],
  // Optimization
  ['Optimization', /\boptimi[sz]ers?\b|\bgradient descent\b/i, 2.5],
  ['Optimization', /\bSGD\b|\bAdam(?:W)?\b/, 2.5],
  ['Optimization', /\bstochastic optimi[sz]ation\b|\bconvex\b|\bbilevel\b|\bcombinatorial optimi[sz]ation\b|\b(?:integer|linear) programming\b/i, 2.5],
  ['Optimization', /\bconvergence\b|\bsaddle[- ]points?\b|\blearning rates?\b/i, 1.5],
  ['Optimization', /\boptimi[sz]ation\b/i, 1],
  ['Optimization', /\bprimal-dual\b|\bsolvers?\b|\bSAT\b|\bsuccessive convex\b|\boptimization problem\b/i, 2.5],
  // Robotics
  ['Robotics', /\brobot\w*/i, 3],
  ['Robotics', /\blocomotion\b|\bembodied\b|\bgrasp\w*|\bquadruped\b|\bhumanoid\b|\bsim-to-real\b|\bdexterous\b/i, 3],
  ['Robotics', /\b(?:robotic|object|dexterous) manipulation\b|\bautonomous (?:driving|vehicles?)\b|\bUAVs?\b|\bego-actions?\b/i, 2],
  ['Robotics', /\bnavigation\b/i, 1.5],
  // Computer Vision
  ['Computer Vision', /\bobject detect\w*|\bdepth estimation\b|\bsuper-resolution\b|\bpose estimation\b/i, 3],
  ['Computer Vision', /\bsegmentation\b|\bpoint clouds?\b|\bvision transformers?\b|\bViT\b|\bremote sensing\b/i, 2.5],
  ['Computer Vision', /\bimages?\b|\bimagery\b|\bpixels?\b|\bcameras?\b/i, 1],
  ['Computer Vision', /\bvideos?\b|\bcomputer vision\b/i, 1.5],
  ['Computer Vision', /\b3D\b/i, 1],
  ['Computer Vision', /\bvisual\b|\bscenes?\b/i, 1],
];

/** Title hits count double; abstract hits count up to twice per rule (repetition is evidence, to a point). */
const TITLE_WEIGHT = 2;
const MAX_ABSTRACT_HITS = 2;

/**
 * A tag is kept when it scores at least its own bar... Bars differ because the evidence does: a
 * single "images" or "language" is weak, while Theory, Efficient ML and Generative Models have many
 * words that papers of every topic use in passing ("bounds", "efficient", "synthesise"). Chosen on
 * the tuning half of test/fixtures/tags-dev (the test half was never looked at). Theory and
 * Interpretability raised 4.5/3.5 → 8.5 (coordinate steps of +2 on the tuning half while its F1
 * rose: precision 0.833 → 0.868, recall 0.906 unchanged).
 */
const MIN_TAG_SCORE: Readonly<Record<Tag, number>> = {
  Theory: 8.5,
  Optimization: 4.5,
  'Efficient ML': 5,
  'Large Language Models': 4,
  NLP: 3.5,
  'Reinforcement Learning': 5,
  Interpretability: 8.5,
  'Time Series': 4,
  'Graph Learning': 5,
  'Computer Vision': 3,
  Robotics: 5,
  Multimodal: 5,
  'Generative Models': 5,
  'Federated Learning': 6,
};
/** ...and at least this share of the best tag's score, so weak side-topics do not ride along. */
const MIN_SHARE_OF_BEST = 0.2;
const MAX_TAGS = 4;

/**
 * The tag of a paper with no category prior and no cue at all. Optimization is the most general
 * method tag for learning papers (training any model is an optimisation problem) and the
 * second most frequent tag in the reference digest; Theory would claim proofs we have not seen.
 */
const DEFAULT_TAG: Tag = 'Optimization';

/** Each rule with a global twin for counting hits, compiled once. */
const COMPILED_RULES = RULES.map(([tag, pattern, weight]) => ({
  tag,
  pattern,
  everyMatch: new RegExp(pattern.source, `${pattern.flags}g`),
  weight,
}));

function countHits(everyMatch: RegExp, text: string, cap: number): number {
  everyMatch.lastIndex = 0;
  let hits = 0;
  while (hits < cap && everyMatch.exec(text) !== null) hits++;
  return hits;
}

function emptyScores(): Map<Tag, number> {
  return new Map(TAXONOMY.map((tag) => [tag, 0]));
}

function add(scores: Map<Tag, number>, tag: Tag, amount: number): void {
  scores.set(tag, (scores.get(tag) ?? 0) + amount);
}

export function categoryPriorScores(categories: readonly string[]): Map<Tag, number> {
  const scores = emptyScores();
  categories.forEach((category, index) => {
    const factor = index === 0 ? 1 : CROSS_LIST_FACTOR;
    for (const [tag, weight] of CATEGORY_PRIORS[category] ?? []) add(scores, tag, weight * factor);
  });
  return scores;
}

export function keywordScores(title: string, abstract: string): Map<Tag, number> {
  const scores = emptyScores();
  for (const { tag, pattern, everyMatch, weight } of COMPILED_RULES) {
    if (pattern.test(title)) add(scores, tag, weight * TITLE_WEIGHT);
    add(scores, tag, weight * countHits(everyMatch, abstract, MAX_ABSTRACT_HITS));
  }
  return scores;
}

/** Code is a language models write, but not natural language. */
const CODE_TASK = /\bcode generation\b|\bcoding (?:agents?|tasks?|assistants?)\b|\bprogram synthesis\b|\bsoftware engineering\b/i;

/**
 * A language-model paper is about natural language unless it is about images too (Multimodal or
 * Computer Vision covers that; the latter added on the tuning half: precision 0.868 → 0.873, recall
 * unchanged) or its task is code: the reference site's LLM cards carry NLP as well.
 */
function withImpliedTags(tags: Tag[], input: TaggerInput): Tag[] {
  const impliesNlp =
    tags.includes('Large Language Models') &&
    !tags.includes('NLP') &&
    !tags.includes('Multimodal') &&
    !tags.includes('Computer Vision') &&
    !CODE_TASK.test(input.title) &&
    !CODE_TASK.test(input.abstract);
  if (!impliesNlp) return tags;
  const at = tags.indexOf('Large Language Models') + 1;
  return [...tags.slice(0, at), 'NLP', ...tags.slice(at)];
}

/** Tags sorted by score (highest first), ties broken by taxonomy order for determinism. */
function rank(scores: Map<Tag, number>): Array<readonly [Tag, number]> {
  return TAXONOMY.map((tag) => [tag, scores.get(tag) ?? 0] as const).sort((a, b) => b[1] - a[1]);
}

/**
 * 1-4 taxonomy tags, most confident first. When no tag clears the bar, falls back to the strongest
 * category prior, then to Theory if the text has theory cues, then to the best-scoring tag at all,
 * and finally to DEFAULT_TAG, so every paper has at least one tag.
 */
export function tagPaper(input: TaggerInput): Tag[] {
  const priors = categoryPriorScores(input.categories);
  const keywords = keywordScores(input.title, input.abstract);
  const total = emptyScores();
  for (const tag of TAXONOMY) add(total, tag, (priors.get(tag) ?? 0) + (keywords.get(tag) ?? 0));

  const ranked = rank(total);
  const best = ranked[0]?.[1] ?? 0;
  // The primary category is the authors' own topic claim: its tag is never crowded out.
  const primaryTags = new Set((CATEGORY_PRIORS[input.categories[0] ?? ''] ?? []).map(([tag]) => tag));
  const confident = ranked
    .filter(
      ([tag, score]) =>
        score >= MIN_TAG_SCORE[tag] && (score >= best * MIN_SHARE_OF_BEST || primaryTags.has(tag)),
    )
    .map(([tag]) => tag);
  if (confident.length > 0) return withImpliedTags(confident, input).slice(0, MAX_TAGS);

  const strongestPrior = rank(priors)[0];
  if (strongestPrior !== undefined && strongestPrior[1] > 0) return [strongestPrior[0]];
  if ((keywords.get('Theory') ?? 0) > 0) return ['Theory'];
  const bestKeyword = ranked[0];
  if (bestKeyword !== undefined && bestKeyword[1] > 0) return [bestKeyword[0]];
  return [DEFAULT_TAG];
}
