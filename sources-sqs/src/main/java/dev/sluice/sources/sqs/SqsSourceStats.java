package dev.sluice.sources.sqs;

/**
 * What the SQS source has done since it started.
 *
 * @param received messages received (a redelivery counts again)
 * @param deleted messages deleted after their events were committed
 * @param leftForRedrive messages that can never be read, left for the queue's redrive policy
 * @param visibilityExtensions ChangeMessageVisibilityBatch calls made while a commit ran
 * @param failures failed SQS calls and commits, each followed by a backoff
 */
public record SqsSourceStats(
    long received, long deleted, long leftForRedrive, long visibilityExtensions, long failures) {}
