/**
 * What each taxonomy tag means, and the near-synonyms a model (or a person) writes for it. The
 * definitions go into the LLM prompt, so neighbouring tags (NLP vs Large Language Models, Multimodal vs
 * Computer Vision) are told apart by the same words a reader sees; the synonyms let an answer that says
 * "LLMs" keep its tag instead of paying for a second call.
 */
import { TAXONOMY, type Tag } from './taxonomy.ts';

/** One line per tag: when a paper carries it. */
export const TAG_DEFINITIONS: Record<Tag, string> = {
  Theory: 'proofs, bounds, convergence or sample-complexity analysis, formal guarantees',
  Optimization: 'training algorithms and optimisers, loss landscapes, hyperparameters, solving optimisation problems with learning',
  'Efficient ML': 'making models cheaper or faster: compression, quantisation, pruning, distillation, efficient inference or training, hardware',
  'Large Language Models': 'work about large language models themselves: pretraining, alignment, prompting, reasoning, agents, evaluation of LLMs',
  NLP: 'natural-language tasks and linguistics that are not about LLMs as such: translation, parsing, speech and text classification, corpora',
  'Reinforcement Learning': 'agents learning from reward: RL algorithms, bandits, RLHF and reward modelling as methods, control',
  Interpretability: 'explaining or inspecting models: attributions, probing, mechanistic interpretability, explainability, auditing behaviour',
  'Time Series': 'sequential measurements over time: forecasting, anomaly detection, temporal signals',
  'Graph Learning': 'graphs as data: graph neural networks, node/link prediction, molecules or networks as graphs',
  'Computer Vision': 'images and video on their own: recognition, detection, segmentation, 3D vision, image generation quality',
  Robotics: 'physical or simulated robots: manipulation, locomotion, navigation, embodied agents, vision-language-action policies',
  Multimodal: 'more than one modality together: vision-language models, audio-text, text-to-image conditioning, cross-modal retrieval',
  'Generative Models': 'models that generate data: diffusion, flow matching, VAEs, GANs, autoregressive generation of images, audio or molecules',
  'Federated Learning': 'training across clients that keep their data: federated and decentralised learning, its privacy and communication',
};

/** Near-synonyms, compared after lower-casing and collapsing spaces (a hyphen is also tried as a space). */
export const TAG_SYNONYMS: Record<string, Tag> = {
  llm: 'Large Language Models',
  llms: 'Large Language Models',
  'large language model': 'Large Language Models',
  'language models': 'Large Language Models',
  'language model': 'Large Language Models',
  'natural language processing': 'NLP',
  'computational linguistics': 'NLP',
  rl: 'Reinforcement Learning',
  'deep reinforcement learning': 'Reinforcement Learning',
  explainability: 'Interpretability',
  'explainable ai': 'Interpretability',
  xai: 'Interpretability',
  'mechanistic interpretability': 'Interpretability',
  'time series forecasting': 'Time Series',
  'time-series': 'Time Series',
  forecasting: 'Time Series',
  gnn: 'Graph Learning',
  gnns: 'Graph Learning',
  'graph neural networks': 'Graph Learning',
  'graph neural network': 'Graph Learning',
  vision: 'Computer Vision',
  cv: 'Computer Vision',
  'vision language models': 'Multimodal',
  'vision-language models': 'Multimodal',
  'multimodal learning': 'Multimodal',
  'multi-modal': 'Multimodal',
  vlm: 'Multimodal',
  vlms: 'Multimodal',
  'generative modeling': 'Generative Models',
  'generative modelling': 'Generative Models',
  'diffusion models': 'Generative Models',
  'efficient machine learning': 'Efficient ML',
  efficiency: 'Efficient ML',
  'model compression': 'Efficient ML',
  'learning theory': 'Theory',
  'theoretical machine learning': 'Theory',
  optimisation: 'Optimization',
  'federated': 'Federated Learning',
  robot: 'Robotics',
  'robot learning': 'Robotics',
};

const key = (value: string): string => value.trim().toLowerCase().replace(/[\s_]+/g, ' ');

/** The taxonomy tag a written tag means: exact (any case), or a listed near-synonym; undefined otherwise. */
export function canonicalTag(value: string): Tag | undefined {
  const k = key(value);
  return TAXONOMY.find((tag) => tag.toLowerCase() === k) ?? TAG_SYNONYMS[k] ?? TAG_SYNONYMS[k.replace(/-/g, ' ')];
}
