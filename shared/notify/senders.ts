import {
  GetSuppressedDestinationCommand,
  NotFoundException,
  type SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

export interface Sms {
  to: string;
  text: string;
}

export interface Email {
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** The recipient opted out (SMS STOP, an e-mail complaint): remembered, never retried. */
export class OptedOut extends Error {}

/** The destination cannot receive (an invalid number, a hard-bounced address): remembered until corrected. */
export class BadDestination extends Error {}

/** Ports: where SMS and email go. AWS: SNS and SES v2. Local: outboxes the desktop shows. */
export interface SmsSender {
  send(sms: Sms): Promise<{ messageId: string }>;
}
export interface EmailSender {
  send(email: Email): Promise<{ messageId: string }>;
}

/** Countries where SNS accepts an alphanumeric sender ID; elsewhere (China, US…) none is sent. */
const SENDER_ID_COUNTRIES = ['+44', '+41', '+49', '+33', '+65', '+852', '+61'];

export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly sns: SNSClient,
    private readonly senderId?: string,
  ) {}

  /**
   * SNS does not refuse a Publish to a number that opted out (it accepts it and drops it), so the
   * number is checked first with CheckIfPhoneNumberIsOptedOut. A number SNS cannot send to is
   * refused with InvalidParameter naming the PhoneNumber: a bad destination, not a retry.
   */
  async send(sms: Sms) {
    const senderId =
      this.senderId && SENDER_ID_COUNTRIES.some((p) => sms.to.startsWith(p)) ? this.senderId : undefined;
    const check = await this.sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: sms.to }));
    if (check.isOptedOut) throw new OptedOut('the number opted out of SMS (SNS opted-out list)');
    try {
      const r = await this.sns.send(
        new PublishCommand({
          PhoneNumber: sms.to,
          Message: sms.text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            ...(senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: senderId } } : {}),
          },
        }),
      );
      return { messageId: r.MessageId ?? '' };
    } catch (err) {
      const e = err as Error;
      if (
        (e.name === 'InvalidParameterException' || e.name === 'InvalidParameterValueException') &&
        /phone ?number/i.test(e.message)
      )
        throw new BadDestination(`SNS refused the number: ${e.message}`);
      throw err;
    }
  }
}

export class SesEmailSender implements EmailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  /**
   * An address on the account's suppression list (a hard bounce or a complaint before) would be
   * accepted by SendEmail and then dropped: it is checked first with GetSuppressedDestination.
   */
  async send(email: Email) {
    const suppressed = await this.ses
      .send(new GetSuppressedDestinationCommand({ EmailAddress: email.to }))
      .then((r) => r.SuppressedDestination)
      .catch((err: unknown) => {
        if (err instanceof NotFoundException || (err as Error).name === 'NotFoundException') return undefined;
        throw err;
      });
    if (suppressed?.Reason === 'COMPLAINT')
      throw new OptedOut('the recipient complained about an earlier e-mail (SES suppression list)');
    if (suppressed) throw new BadDestination('the address bounced before (SES suppression list)');
    const r = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
          },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    return { messageId: r.MessageId ?? '' };
  }
}
