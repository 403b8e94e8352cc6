// Apart from the event schema (ses-event.ts), so that the notify function, which settles a
// claim by the events kept on its row, bundles no schema it never parses with.

/** The event types the configuration set publishes to the feedback queue. */
export const SesEventType = {
  SEND: 'Send',
  DELIVERY: 'Delivery',
  BOUNCE: 'Bounce',
  COMPLAINT: 'Complaint',
  REJECT: 'Reject',
  DELIVERY_DELAY: 'DeliveryDelay',
} as const;
export type SesEventType = (typeof SesEventType)[keyof typeof SesEventType];
