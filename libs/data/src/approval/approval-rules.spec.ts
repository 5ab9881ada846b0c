import { ApprovalRule, approvalRuleProblems, candidateHolds } from './approval-rules';

const ORDER = { country: 'FR', salesChannel: 'web', tags: ['gift'], email: 'Ada@Example.COM' };
const rule = (when: ApprovalRule['when'], holdReason: ApprovalRule['holdReason'] = 'OTHER'): ApprovalRule => ({ name: 'r', when, holdReason });

describe('approval rules', () => {
  it('a rule matches when every condition of its when holds; the total is left to the insert statement', () => {
    expect(
      candidateHolds([rule({ countryIn: ['FR'], salesChannelIn: ['web'], tagIn: ['vip', 'gift'], emailDomainIn: ['example.com'] })], ORDER),
    ).toEqual([{ orderTotalAtLeast: null, holdReason: 'OTHER' }]);
    expect(candidateHolds([rule({ countryIn: ['FR'], tagIn: ['vip'] })], ORDER)).toEqual([]);
    expect(candidateHolds([rule({ emailDomainIn: ['EXAMPLE.com'] })], ORDER)).toHaveLength(1);
    expect(candidateHolds([rule({ emailDomainIn: ['mail.example.com'] })], ORDER)).toEqual([]);
    expect(candidateHolds([rule({ countryIn: ['US'] })], ORDER)).toEqual([]);
  });

  it('keeps the rules in sequence, each with the total it still needs, up to the first that needs none', () => {
    const rules = [
      rule({ countryIn: ['US'] }, 'AWAITING_PAYMENT'),
      rule({ orderTotalAtLeast: '500' }, 'HIGH_RISK_OF_FRAUD'),
      rule({ countryIn: ['FR'] }, 'INCORRECT_ADDRESS'),
      rule({}, 'OTHER'),
    ];
    expect(candidateHolds(rules, ORDER)).toEqual([
      { orderTotalAtLeast: '500', holdReason: 'HIGH_RISK_OF_FRAUD' },
      { orderTotalAtLeast: null, holdReason: 'INCORRECT_ADDRESS' },
    ]);
  });

  it('names every field in error', () => {
    expect(approvalRuleProblems({ rules: [] })).toEqual([]);
    expect(approvalRuleProblems({ rules: [rule({ orderTotalAtLeast: '12.50', countryIn: ['FR'] })] })).toEqual([]);
    expect(approvalRuleProblems(null).map((p) => p.field)).toEqual(['rules']);
    expect(
      approvalRuleProblems({
        rules: [
          { name: '', when: { orderTotalAtLeast: '-1', countryIn: [], colour: ['red'] }, holdReason: 'BORED' },
          { name: 'ok', holdReason: 'OTHER' },
        ],
      }).map((p) => p.field),
    ).toEqual([
      'rules[0].name',
      'rules[0].holdReason',
      'rules[0].when.colour',
      'rules[0].when.orderTotalAtLeast',
      'rules[0].when.countryIn',
      'rules[1].when',
    ]);
  });
});
