package dev.sluice.serverless.cdk;

import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * Acknowledgments of cdk-nag AwsSolutions findings. Each one states in code why the finding does
 * not apply; an acknowledgment without a reason is refused here rather than found in review.
 */
final class Nag {
  private Nag() {}

  /**
   * Acknowledges {@code ruleId} (a rule, or a rule's finding such as {@code
   * AwsSolutions-IAM5[Resource::*]}) on {@code scope} and everything under it.
   */
  static void acknowledge(IConstruct scope, String ruleId, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("acknowledging " + ruleId + " needs a reason");
    }
    if (ruleId.split("::", -1).length > 2) {
      // CDK's acknowledge() reads "a::b" as prefix::rule and refuses a second "::", which finding
      // ids naming a managed policy ARN contain; cdk-nag reads the same metadata entry either way.
      scope
          .getNode()
          .addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, Map.of(ruleId, reason));
      return;
    }
    Validations.of(scope).acknowledge(Acknowledgment.builder().id(ruleId).reason(reason).build());
  }
}
