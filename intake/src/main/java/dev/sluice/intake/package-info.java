/**
 * Intake: turns notification bodies (S3 {@code Records} from AWS, MinIO and Ceph RGW; Lambda SQS
 * and SNS events; SNS envelopes; EventBridge "Object Created") into {@link
 * dev.sluice.core.ObjectEvent}s, decoding keys per source and applying the source's filters. The
 * entry point is {@link dev.sluice.intake.NotificationParser}. Parsers never throw for bad input:
 * what they could not use comes back as a value naming the problem.
 */
package dev.sluice.intake;
