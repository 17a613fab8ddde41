/** The fixed topic taxonomy (the product brief). Tags outside this list are never stored. */
export const TAXONOMY = [
  'Theory',
  'Optimization',
  'Efficient ML',
  'Large Language Models',
  'NLP',
  'Reinforcement Learning',
  'Interpretability',
  'Time Series',
  'Graph Learning',
  'Computer Vision',
  'Robotics',
  'Multimodal',
  'Generative Models',
  'Federated Learning',
] as const;

export type Tag = (typeof TAXONOMY)[number];

export function isTag(value: string): value is Tag {
  return (TAXONOMY as readonly string[]).includes(value);
}

/** URL-safe form of a tag, used in filter links (`?tag=efficient-ml`). */
export function tagSlug(tag: Tag): string {
  return tag.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function tagFromSlug(slug: string): Tag | undefined {
  return TAXONOMY.find((tag) => tagSlug(tag) === slug);
}
