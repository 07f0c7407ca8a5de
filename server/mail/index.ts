// The mail area's public surface: queueing mail in the caller's transaction, the outbox
// Administration lists, and delivery. Other areas import this file, never the modules behind it.

export { createMailDelivery, type MailDelivery } from "./delivery.ts";
export { listOutbox, outboxMessage, queueMail, withoutLinkSecrets } from "./outbox-store.ts";
