import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { HTTP_FUNCTIONS } from '#functions/index.ts';
import { DataTable } from './constructs/data-table.ts';
import { AgentApi } from './constructs/http-api.ts';
import { KeylineFunction } from './constructs/keyline-function.ts';

export interface KeylineStackProps extends StackProps {
  stage: 'dev' | 'prod';
  allowedOrigins: string[];
  /** Amazon Connect instance ARN; the Connect-facing parts are wired only when it is given. */
  connectInstanceArn?: string;
}

/** Keyline in one stack: one construct per capability, sharing the table and the function defaults. */
export class KeylineStack extends Stack {
  constructor(scope: Construct, id: string, props: KeylineStackProps) {
    super(scope, id, props);
    const prod = props.stage === 'prod';
    const { table } = new DataTable(this, 'Data', { prod });
    const api = new AgentApi(this, 'AgentApi', { prod, allowedOrigins: props.allowedOrigins });

    for (const f of HTTP_FUNCTIONS) {
      const fn = new KeylineFunction(this, pascal(f.name), {
        entry: f.entry,
        description: `Keyline HTTP API: ${f.name}`,
        prod,
      }).bindTable(table, f.access);
      api.addRoutes(f.routes, fn.fn, pascal(f.name));
    }
  }
}

const pascal = (s: string) => s.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
