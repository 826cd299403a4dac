package dev.sluice.sfnlocal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shapes of the ARNs this endpoint takes: {@code
 * arn:<partition>:states:<region>:<account>:stateMachine:<name>} and {@code
 * arn:<partition>:states:<region>:<account>:execution:<machine name>:<execution name>}.
 */
final class Arns {

  private static final Pattern PARTITION = Pattern.compile("aws|aws-cn|aws-us-gov");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private Arns() {}

  static String stateMachine(String region, String account, String name) {
    return "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name;
  }

  /** The execution ARN of {@code executionName} of the state machine {@code stateMachineArn}. */
  static String execution(String stateMachineArn, String executionName) {
    String[] p = stateMachineArn.split(":", -1);
    return String.join(":", p[0], p[1], p[2], p[3], p[4], "execution", p[6], executionName);
  }

  /** The state machine ARN an execution ARN belongs to. */
  static String stateMachineOf(String executionArn) {
    String[] p = executionArn.split(":", -1);
    return String.join(":", p[0], p[1], p[2], p[3], p[4], "stateMachine", p[6]);
  }

  static String region(String arn) {
    return arn.split(":", -1)[3];
  }

  static String account(String arn) {
    return arn.split(":", -1)[4];
  }

  /** The name at the end of a state machine ARN. */
  static String stateMachineName(String stateMachineArn) {
    return stateMachineArn.split(":", -1)[6];
  }

  /** Why {@code arn} is not a well-formed state machine ARN, or empty if it is one. */
  static Optional<ApiError> checkStateMachine(String arn) {
    // A version or alias qualifier may follow the name; such a machine is never registered here.
    return check(arn, "stateMachine", 7, 8);
  }

  /** Why {@code arn} is not a well-formed execution ARN, or empty if it is one. */
  static Optional<ApiError> checkExecution(String arn) {
    return check(arn, "execution", 8, 8);
  }

  private static Optional<ApiError> check(
      String arn, String resourceType, int minParts, int maxParts) {
    if (!arn.startsWith("arn:")) {
      return Optional.of(ApiError.invalidArn("Invalid ARN prefix: " + arn));
    }
    String[] p = arn.split(":", -1);
    if (p.length < 6
        || !PARTITION.matcher(p[1]).matches()
        || !p[2].equals("states")
        || !REGION.matcher(p[3]).matches()
        || !ACCOUNT.matcher(p[4]).matches()) {
      return Optional.of(ApiError.invalidArn("Invalid ARN format: " + arn));
    }
    if (!p[5].equals(resourceType)) {
      return Optional.of(ApiError.invalidArn("Resource type not valid in this context: " + p[5]));
    }
    if (p.length < minParts || p.length > maxParts) {
      return Optional.of(ApiError.invalidArn("Invalid ARN format: " + arn));
    }
    for (int i = 6; i < p.length; i++) {
      if (p[i].isEmpty()) {
        return Optional.of(ApiError.invalidArn("Invalid ARN format: " + arn));
      }
    }
    return Optional.empty();
  }
}
