import {
  type ConnectClient,
  DescribeContactCommand,
  LimitExceededException,
  ServiceQuotaExceededException,
  StartOutboundVoiceContactCommand,
  ThrottlingException,
  TooManyRequestsException,
} from '@aws-sdk/client-connect';
import { label, t } from '../platform/messages/index.ts';
import type { CallStatus } from './callback.ts';
import type { Callback } from './model.ts';

export interface DialRequest {
  callbackId: string;
  attempt: number;
  phone: string;
  attributes: Record<string, string>;
}

/**
 * The call for one attempt of a callback: the account, callback, campaign and reason travel as
 * contact attributes, so the agent gets the screen pop on the outbound call too.
 */
export function dialRequest(c: Callback, phone: string, attempt: number): DialRequest {
  return {
    callbackId: c.id,
    attempt,
    phone,
    attributes: {
      accountId: c.accountId,
      ...(c.accountName ? { accountName: c.accountName } : {}),
      ...(c.tier ? { tier: c.tier } : {}),
      // The agent's whisper, in the call centre's language: who, how important, and why.
      whisper: t('zh-CN', 'whisper.outbound', {
        account: c.accountName ?? c.accountId,
        tier: label('tier', c.tier, 'zh-CN') || '—',
        reason: label('campaignType', c.reason, 'zh-CN'),
      }),
      callbackId: c.id,
      campaignId: c.campaignId,
      reason: c.reason,
      ...(c.complaintReference ? { complaintReference: c.complaintReference } : {}),
      language: c.language,
    },
  };
}

/**
 * Connect turned this call away for now: back off and release the work, its attempt and the day's
 * dial unspent. Its API rate (ThrottlingException, TooManyRequestsException) and the instance's
 * concurrent-calls limit (LimitExceededException, the one StartOutboundVoiceContact documents):
 * both clear by themselves, the latter as calls end, so the run slows down instead of stopping.
 */
export class DialThrottled extends Error {}
/** The account's service quota is spent: stop the run. */
export class DialQuotaExceeded extends Error {}
/** The call will never go through (bad number, destination not allowed): fail the callback. */
export class DialRejected extends Error {}

/** The port: places an outbound call. AWS: Amazon Connect. Local: the simulated dialer. */
export interface Dialer {
  dial(req: DialRequest): Promise<{ contactId: string }>;
  /** What became of a placed call, for one whose contact events never arrived. */
  describe?(contactId: string): Promise<CallStatus>;
}

export interface ConnectDialerConfig {
  instanceId: string;
  contactFlowId: string;
  queueId?: string;
  sourcePhoneNumber?: string;
}

/** `ClientToken` = callback id + attempt: an SDK retry of the same attempt never places a second call. */
export const clientToken = (callbackId: string, attempt: number) => `${callbackId}-${attempt}`;

export class ConnectDialer implements Dialer {
  constructor(
    private readonly connect: ConnectClient,
    private readonly config: ConnectDialerConfig,
  ) {}

  async dial(req: DialRequest): Promise<{ contactId: string }> {
    try {
      const r = await this.connect.send(
        new StartOutboundVoiceContactCommand({
          InstanceId: this.config.instanceId,
          ContactFlowId: this.config.contactFlowId,
          ...(this.config.queueId ? { QueueId: this.config.queueId } : {}),
          ...(this.config.sourcePhoneNumber ? { SourcePhoneNumber: this.config.sourcePhoneNumber } : {}),
          DestinationPhoneNumber: req.phone,
          Attributes: req.attributes,
          ClientToken: clientToken(req.callbackId, req.attempt),
        }),
      );
      if (!r.ContactId) throw new Error('StartOutboundVoiceContact answered without a ContactId');
      return { contactId: r.ContactId };
    } catch (err) {
      if (
        err instanceof ThrottlingException ||
        err instanceof TooManyRequestsException ||
        err instanceof LimitExceededException
      )
        throw new DialThrottled(`${err.name}: ${err.message}`);
      if (err instanceof ServiceQuotaExceededException) throw new DialQuotaExceeded(err.message);
      const name = (err as Error).name;
      if (
        name === 'DestinationNotAllowedException' ||
        name === 'InvalidParameterException' ||
        name === 'OutboundContactNotPermittedException'
      ) {
        throw new DialRejected(`${name}: ${(err as Error).message}`);
      }
      throw err;
    }
  }

  /** DescribeContact: ended (with or without an agent), still going, or unknown to Connect. */
  async describe(contactId: string): Promise<CallStatus> {
    try {
      const r = await this.connect.send(
        new DescribeContactCommand({ InstanceId: this.config.instanceId, ContactId: contactId }),
      );
      const agentConnected = Boolean(r.Contact?.AgentInfo?.ConnectedToAgentTimestamp);
      return r.Contact?.DisconnectTimestamp
        ? { kind: 'ended', agentConnected }
        : { kind: 'in-progress', agentConnected };
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return { kind: 'unknown' };
      throw err;
    }
  }
}
