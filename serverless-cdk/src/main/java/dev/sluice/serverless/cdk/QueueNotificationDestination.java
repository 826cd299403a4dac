package dev.sluice.serverless.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.interfaces.s3.IBucketRef;
import software.amazon.awscdk.services.iam.AddToResourcePolicyResult;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BucketNotificationDestinationConfig;
import software.amazon.awscdk.services.s3.BucketNotificationDestinationType;
import software.amazon.awscdk.services.s3.IBucketNotificationDestination;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * S3 notifications sent straight to a queue, with a queue policy that lets S3 send and nothing
 * more: {@code sqs:SendMessage} only, and only for this bucket in this account. CDK's own {@code
 * SqsDestination} also grants {@code sqs:GetQueueAttributes} and {@code sqs:GetQueueUrl} and does
 * not check the source account (a bucket name can be deleted and taken by another account).
 */
final class QueueNotificationDestination implements IBucketNotificationDestination {

  private final Queue queue;
  private final String bucketArn;

  QueueNotificationDestination(Queue queue, String bucketArn) {
    this.queue = queue;
    this.bucketArn = bucketArn;
  }

  @Override
  public BucketNotificationDestinationConfig bind(Construct scope, IBucketRef bucket) {
    AddToResourcePolicyResult added =
        queue.addToResourcePolicy(
            PolicyStatement.Builder.create()
                .sid("S3SendsObjectCreated")
                .principals(List.of(new ServicePrincipal("s3.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(queue.getQueueArn()))
                .conditions(
                    Map.of(
                        "ArnEquals", Map.of("aws:SourceArn", bucketArn),
                        "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());
    // S3 checks that it may send when the notification is set, so the policy must exist first.
    return BucketNotificationDestinationConfig.builder()
        .type(BucketNotificationDestinationType.QUEUE)
        .arn(queue.getQueueArn())
        .dependencies(List.of(added.getPolicyDependable()))
        .build();
  }
}
