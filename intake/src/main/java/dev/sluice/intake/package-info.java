/**
 * Intake: turns notification bodies (S3 {@code Records}, later SQS, SNS, EventBridge, MinIO, Ceph)
 * into {@link dev.sluice.core.ObjectEvent}s, decoding keys and dropping test events. Parsers never
 * throw for bad input: what they could not use comes back as a value naming the problem.
 */
package dev.sluice.intake;
