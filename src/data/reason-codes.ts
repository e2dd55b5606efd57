/**
 * The default churn reason-code taxonomy (DOMAIN.md 5.2), with each code's cause family (DOMAIN.md 5.1).
 * It is seeded into the workspace's `reason_codes` table, where users may add or change codes.
 */
export interface ReasonCode {
  readonly code: string;
  readonly reason: string;
  readonly reasonZh: string;
  readonly type: 'voluntary' | 'involuntary';
  readonly family:
    'product' | 'price' | 'service' | 'benefit' | 'management' | 'industry' | 'natural' | 'other';
}

export const DEFAULT_REASON_CODES: readonly ReasonCode[] = [
  { code: '101', reason: 'price', reasonZh: '价格', type: 'voluntary', family: 'price' },
  { code: '102', reason: 'promotion', reasonZh: '促销', type: 'voluntary', family: 'price' },
  { code: '103', reason: 'customer service', reasonZh: '客户服务', type: 'voluntary', family: 'service' },
  { code: '205', reason: 'network', reasonZh: '网络', type: 'voluntary', family: 'product' },
  { code: '207', reason: 'billing', reasonZh: '计费', type: 'voluntary', family: 'service' },
  { code: '210', reason: 'relocation', reasonZh: '迁居', type: 'voluntary', family: 'natural' },
  { code: '335', reason: 'credit', reasonZh: '信用', type: 'involuntary', family: 'natural' },
  { code: '345', reason: 'fraud', reasonZh: '欺诈', type: 'involuntary', family: 'natural' },
  { code: '380', reason: 'non-use', reasonZh: '不使用', type: 'involuntary', family: 'natural' },
];
