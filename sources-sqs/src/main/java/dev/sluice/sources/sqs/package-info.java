/**
 * The SQS source: a poller that takes notification messages from a queue, hands their bodies to the
 * intake, and deletes each message only after its events are committed. A message that can never be
 * read is left on the queue, so the queue's redrive policy moves it to its dead-letter queue.
 */
package dev.sluice.sources.sqs;
