/**
 * A small typed builder for the Amazon Connect flow language (Version 2019-10-30): blocks named by
 * id, their parameters (CDK tokens allowed: the stack serializes the document with
 * `Stack.toJsonString`, so Lambda and queue ARNs resolve at deploy), and their transitions. The
 * document is checked when built: unique ids, every transition lands on a block.
 */

export interface Condition {
  /** `Equals`, `NumberGreaterThan`, `NumberLessThan`, … */
  operator: string;
  value: string;
  next: string;
}

export interface Block {
  id: string;
  type: string;
  params?: Record<string, unknown>;
  next?: string;
  conditions?: Condition[];
  /** Error type → block; `NoMatchingError` catches what no other names. */
  errors?: Record<string, string>;
}

export interface FlowAction {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: {
    NextAction?: string;
    Conditions?: { NextAction: string; Condition: { Operator: string; Operands: string[] } }[];
    Errors?: { NextAction: string; ErrorType: string }[];
  };
}

export interface FlowDocument {
  Version: '2019-10-30';
  StartAction: string;
  Actions: FlowAction[];
}

/** The ids a block can go to next. */
export const targetsOf = (a: FlowAction): string[] =>
  [
    a.Transitions.NextAction,
    ...(a.Transitions.Conditions ?? []).map((c) => c.NextAction),
    ...(a.Transitions.Errors ?? []).map((e) => e.NextAction),
  ].filter((x): x is string => Boolean(x));

/** Every `$.External.x` (what a Lambda answered) a block reads, by the Lambda block it follows. */
export const externalRefs = (a: FlowAction): string[] =>
  [...JSON.stringify(a.Parameters).matchAll(/\$\.External\.([A-Za-z0-9_-]+)/g)].map((m) => m[1] as string);

export function flow(start: string, blocks: Block[]): FlowDocument {
  const actions: FlowAction[] = blocks.map((b) => ({
    Identifier: b.id,
    Type: b.type,
    Parameters: b.params ?? {},
    Transitions: {
      ...(b.next ? { NextAction: b.next } : {}),
      ...(b.conditions?.length
        ? {
            Conditions: b.conditions.map((c) => ({
              NextAction: c.next,
              Condition: { Operator: c.operator, Operands: [c.value] },
            })),
          }
        : {}),
      ...(b.errors
        ? { Errors: Object.entries(b.errors).map(([ErrorType, NextAction]) => ({ NextAction, ErrorType })) }
        : {}),
    },
  }));
  const ids = new Set(actions.map((a) => a.Identifier));
  if (ids.size !== actions.length) throw new Error('a flow has two blocks with one id');
  if (!ids.has(start)) throw new Error(`the flow starts at ${start}, which is not a block`);
  for (const a of actions)
    for (const t of targetsOf(a))
      if (!ids.has(t)) throw new Error(`${a.Identifier} goes to ${t}, which is not a block`);
  return { Version: '2019-10-30', StartAction: start, Actions: actions };
}

/** Invokes a contact-flow Lambda: synchronous, 3 s, a flat string map back. */
export const invoke = (
  id: string,
  arn: string,
  attrs: Record<string, string>,
  next: string,
  onError: string,
): Block => ({
  id,
  type: 'InvokeLambdaFunction',
  params: {
    LambdaFunctionARN: arn,
    InvocationTimeLimitSeconds: '3',
    InvocationType: 'SYNCHRONOUS',
    ResponseValidation: { ResponseType: 'STRING_MAP' },
    LambdaInvocationAttributes: attrs,
  },
  next,
  errors: { NoMatchingError: onError },
});

/** Speaks `text` (a prompt, or `$.External.prompt`), then goes on whatever happens. */
export const say = (id: string, text: string, next: string): Block => ({
  id,
  type: 'MessageParticipant',
  params: { Text: text },
  next,
  errors: { NoMatchingError: next },
});

/**
 * The Polly voice for every prompt after it. Connect speaks with Joanna (English only) until a
 * flow sets one, and a voice does not speak text in another language: Chinese needs Zhiyu.
 */
export const voice = (id: string, voiceId: string, next: string): Block => ({
  id,
  type: 'UpdateContactTextToSpeechVoice',
  params: { TextToSpeechVoice: voiceId },
  next,
  errors: { NoMatchingError: next },
});

/** Branches on a value: each case's value to its block, anything else to `otherwise`. */
export const compare = (
  id: string,
  value: string,
  cases: Record<string, string>,
  otherwise: string,
): Block => ({
  id,
  type: 'Compare',
  params: { ComparisonValue: value },
  conditions: Object.entries(cases).map(([v, next]) => ({ operator: 'Equals', value: v, next })),
  errors: { NoMatchingCondition: otherwise },
});

/**
 * One more try, then `otherwise`: the first time through, the contact's `retried` attribute is set
 * and the caller goes to `retry`; the next time (the same call's second invalid input, whichever
 * prompt) they go to `otherwise` (an agent), so a caller who cannot key it in is never looped.
 */
export const secondChance = (id: string, retry: string, otherwise: string): Block[] => [
  compare(id, '$.Attributes.retried', { true: otherwise }, `${id}-mark`),
  {
    id: `${id}-mark`,
    type: 'UpdateContactAttributes',
    params: { TargetContact: 'Current', Attributes: { retried: 'true' } },
    next: retry,
    errors: { NoMatchingError: otherwise },
  },
];
