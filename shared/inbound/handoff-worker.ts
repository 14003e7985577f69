/**
 * The worker behind the IVR's hand-off queue: finishes a complaint or a callback request the call
 * could not confirm in time (idempotently: the call's own write may have landed) and confirms it
 * to the caller by SMS, once. A message it cannot finish is retried, then dead-lettered.
 */
import * as z from 'zod';
import type { AccountRepo } from '../accounts/repo.ts';
import { completeIvrCallback, IVR_CALLBACK } from '../campaigns/ivr.ts';
import type { Campaigns } from '../campaigns/service.ts';
import { completeIvrComplaint, IVR_COMPLAINT } from '../complaints/ivr.ts';
import { ComplaintInput } from '../complaints/model.ts';
import type { Complaints } from '../complaints/service.ts';
import type { Confirmations } from '../notify/confirmations.ts';

const Lang = z.enum(['zh-CN', 'en']);
const Phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number');

export const IvrHandoffMessage = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal(IVR_COMPLAINT),
    connectContactId: z.string().min(1),
    request: z.object({ accountId: z.string(), phone: Phone, language: Lang, input: ComplaintInput }),
  }),
  z.object({
    kind: z.literal(IVR_CALLBACK),
    connectContactId: z.string().min(1),
    request: z.object({
      accountId: z.string(),
      contactId: z.string(),
      phone: Phone,
      language: Lang,
      textTo: Phone.optional(),
    }),
  }),
]);
export type IvrHandoffMessage = z.output<typeof IvrHandoffMessage>;

export interface HandoffWorkerDeps {
  accounts: AccountRepo;
  complaints: Complaints;
  campaigns: Campaigns;
  confirmations: Confirmations;
}

/** Finishes one handed-off request; answers what it finished, for the log. */
export async function completeHandoff(
  deps: HandoffWorkerDeps,
  m: IvrHandoffMessage,
): Promise<{ kind: string; id: string; reference?: string }> {
  if (m.kind === IVR_COMPLAINT) {
    const complaint = await completeIvrComplaint(deps, m);
    return { kind: m.kind, id: complaint.id, reference: complaint.reference };
  }
  const callback = await completeIvrCallback(deps, m);
  return { kind: m.kind, id: callback.id };
}
