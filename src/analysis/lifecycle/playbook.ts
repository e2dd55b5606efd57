/**
 * The recommended action per lifecycle stage x value tier (DOMAIN.md 3 and 6): acquire, grow value, keep the
 * valuable loyal with differentiated service, extend the life with early warnings and retention offers,
 * win back valuable leavers, and let low-value leavers go when winning them back would cost more than they
 * bring. Users replace it with a JSON file of the same shape (`--playbook FILE`); a missing entry falls back
 * to the stage's "*" entry.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../../util/errors.js';

export const VALUE_TIERS = ['high', 'medium', 'low'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

/** stage -> tier (or "*") -> action */
export type Playbook = Readonly<Record<string, Readonly<Record<string, string>>>>;

export const DEFAULT_PLAYBOOK: Playbook = {
  // operational states
  prospect: { '*': 'acquisition offer through the best-converting channel' },
  new: { high: 'personal welcome call and onboarding', '*': 'welcome series and onboarding tips' },
  active: {
    high: 'VIP service: priority line, loyalty tier, regular account reviews',
    medium: 'cross-sell and up-sell the next product',
    low: 'low-cost digital engagement; nudge towards a higher plan',
  },
  dormant: {
    high: 'personal call to find the reason; tailored retention offer',
    medium: 'reactivation offer',
    low: 'automated reminder only',
  },
  lost: {
    high: 'win-back: find out why they left, fix the cause, tailored package; call back periodically',
    medium: 'win-back offer if the reason is fixable',
    low: 'let go; survey the reason to stop negative word of mouth',
  },
  reactivated: { high: 'thank-you call and loyalty benefit', '*': 'welcome back and keep them engaged' },
  // relationship stages (four- and five-stage models)
  exploration: { '*': 'make trial purchases easy; onboarding and first-value moments' },
  acquisition: { '*': 'make trial purchases easy; onboarding and first-value moments' },
  formation: { '*': 'cross-sell and targeted marketing while volume grows' },
  'build-up': { '*': 'cross-sell and targeted marketing while volume grows' },
  stability: {
    high: 'differentiated service and loyalty rewards: keep them, do not over-discount',
    '*': 'keep the service reliable; efficient cost to serve',
  },
  maturity: {
    high: 'differentiated service and loyalty rewards: keep them, do not over-discount',
    '*': 'keep the service reliable; efficient cost to serve',
  },
  decline: {
    high: 'high-risk early warning: retention offer and a personal contact now',
    medium: 'retention offer proportional to value',
    low: 'low-cost retention message; accept the risk',
  },
  exit: {
    high: 'win-back offer for high-value leavers',
    '*': 'let go unless the reason is fixable cheaply',
  },
};

export function actionFor(playbook: Playbook, stage: string, tier: ValueTier): string {
  const entry = playbook[stage];
  return entry?.[tier] ?? entry?.['*'] ?? '';
}

export function readPlaybook(file: string): Playbook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file}: cannot read the playbook (${(error as Error).message})`);
  }
  return checkPlaybook(parsed, file);
}

/** A playbook from parsed JSON, checked; errors name `file` (a file name or where the value came from). */
export function checkPlaybook(parsed: unknown, file: string): Playbook {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UserError(`${file}: the playbook must be an object: stage -> { tier or "*" -> action }`);
  for (const [stage, tiers] of Object.entries(parsed)) {
    if (typeof tiers !== 'object' || tiers === null)
      throw new UserError(`${file}: stage "${stage}" must map tiers to actions`);
    for (const [tier, action] of Object.entries(tiers)) {
      if (tier !== '*' && !(VALUE_TIERS as readonly string[]).includes(tier))
        throw new UserError(`${file}: stage "${stage}": unknown tier "${tier}" (high, medium, low or *)`);
      if (typeof action !== 'string')
        throw new UserError(`${file}: stage "${stage}", tier "${tier}": the action must be text`);
    }
  }
  return parsed as Playbook;
}
