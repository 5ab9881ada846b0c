import type { CandidateHold } from '../orders/orders.repository';
import { HOLD_REASONS, HoldReason } from './hold-reasons';

/** What an approval rule looks at; every condition given must hold (AND), a list holds when the order's value is in it. */
export interface ApprovalConditions {
  /** A decimal money string (`"500"`, `"500.00"`), compared with the order's total in the order's currency. */
  orderTotalAtLeast?: string;
  /** Shipping address countries (ISO codes as the order sends them). */
  countryIn?: string[];
  salesChannelIn?: string[];
  /** The order carries at least one of these tags. */
  tagIn?: string[];
  /** The customer email's domain (the part after @), compared case-insensitively. */
  emailDomainIn?: string[];
}

export interface ApprovalRule {
  name: string;
  when: ApprovalConditions;
  holdReason: HoldReason;
}

/** What of a new order the rules look at, besides its total (priced in the insert statement). */
export interface ApprovalSubject {
  country: string;
  salesChannel: string;
  tags: string[];
  email: string;
}

export const APPROVAL_RULE_LIMITS = { rules: 100, listItems: 100, itemLength: 200, nameLength: 200 } as const;
export const MONEY_AT_LEAST = /^\d{1,14}(\.\d{1,2})?$/;
const LIST_CONDITIONS = ['countryIn', 'salesChannelIn', 'tagIn', 'emailDomainIn'] as const;

export interface ApprovalRuleProblem {
  field: string;
  message: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every problem of a body of rules, each naming its field (`rules[0].when.countryIn`). */
export function approvalRuleProblems(body: unknown): ApprovalRuleProblem[] {
  if (!isObject(body) || !Array.isArray(body.rules)) return [{ field: 'rules', message: 'must be an array' }];
  if (body.rules.length > APPROVAL_RULE_LIMITS.rules) return [{ field: 'rules', message: `must have at most ${APPROVAL_RULE_LIMITS.rules} rules` }];
  return body.rules.flatMap((rule: unknown, index): ApprovalRuleProblem[] => {
    const at = `rules[${index}]`;
    if (!isObject(rule)) return [{ field: at, message: 'must be an object' }];
    const problems: ApprovalRuleProblem[] = [];
    if (typeof rule.name !== 'string' || rule.name.length < 1 || rule.name.length > APPROVAL_RULE_LIMITS.nameLength) {
      problems.push({ field: `${at}.name`, message: `must be a string of 1 to ${APPROVAL_RULE_LIMITS.nameLength} characters` });
    }
    if (!HOLD_REASONS.includes(rule.holdReason as HoldReason)) {
      problems.push({ field: `${at}.holdReason`, message: `must be one of ${HOLD_REASONS.join(', ')}` });
    }
    const when = rule.when;
    if (!isObject(when)) return [...problems, { field: `${at}.when`, message: 'must be an object' }];
    for (const key of Object.keys(when)) {
      if (key !== 'orderTotalAtLeast' && !(LIST_CONDITIONS as readonly string[]).includes(key)) {
        problems.push({ field: `${at}.when.${key}`, message: 'is not a condition' });
      }
    }
    const total = when.orderTotalAtLeast;
    if (total !== undefined && (typeof total !== 'string' || !MONEY_AT_LEAST.test(total))) {
      problems.push({ field: `${at}.when.orderTotalAtLeast`, message: 'must be a decimal money string >= 0, e.g. "500.00"' });
    }
    for (const key of LIST_CONDITIONS) {
      const list = when[key];
      if (list === undefined) continue;
      const { listItems, itemLength } = APPROVAL_RULE_LIMITS;
      if (
        !Array.isArray(list) ||
        list.length < 1 ||
        list.length > listItems ||
        !list.every((item) => typeof item === 'string' && item.length >= 1 && item.length <= itemLength)
      ) {
        problems.push({ field: `${at}.when.${key}`, message: `must be a list of 1 to ${listItems} strings of 1 to ${itemLength} characters` });
      }
    }
    return problems;
  });
}

/** A rule as stored and shown: only the conditions given, in a fixed order. */
export function approvalRuleOf(rule: ApprovalRule): ApprovalRule {
  const when: ApprovalConditions = {};
  if (rule.when.orderTotalAtLeast !== undefined) when.orderTotalAtLeast = rule.when.orderTotalAtLeast;
  for (const key of LIST_CONDITIONS) if (rule.when[key] !== undefined) when[key] = [...rule.when[key]];
  return { name: rule.name, when, holdReason: rule.holdReason };
}

/**
 * The rules whose conditions other than the total hold for the order, in sequence, with the total
 * each still needs: the insert statement, which prices the order, holds it by the first one its
 * total meets. A rule without orderTotalAtLeast matches whatever the total, and ends the list.
 */
export function candidateHolds(rules: ApprovalRule[], order: ApprovalSubject): CandidateHold[] {
  const domain = order.email.slice(order.email.lastIndexOf('@') + 1).toLowerCase();
  const candidates: CandidateHold[] = [];
  for (const { when, holdReason } of rules) {
    if (when.countryIn !== undefined && !when.countryIn.includes(order.country)) continue;
    if (when.salesChannelIn !== undefined && !when.salesChannelIn.includes(order.salesChannel)) continue;
    if (when.tagIn !== undefined && !when.tagIn.some((tag) => order.tags.includes(tag))) continue;
    if (when.emailDomainIn !== undefined && !when.emailDomainIn.some((candidate) => candidate.toLowerCase() === domain)) continue;
    candidates.push({ orderTotalAtLeast: when.orderTotalAtLeast ?? null, holdReason });
    if (when.orderTotalAtLeast === undefined) break;
  }
  return candidates;
}
