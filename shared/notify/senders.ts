import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

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

/** The number opted out of SMS: record it, never retry. */
export class OptedOut extends Error {}

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

  async send(sms: Sms) {
    const senderId =
      this.senderId && SENDER_ID_COUNTRIES.some((p) => sms.to.startsWith(p)) ? this.senderId : undefined;
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
      if ((err as Error).name === 'OptedOutException' || /opted out/i.test((err as Error).message))
        throw new OptedOut((err as Error).message);
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

  async send(email: Email) {
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
