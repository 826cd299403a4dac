package dev.sluice.serverless.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One handler of the jar as a Lambda function: its own role (no managed policy: it may write to its
 * own log group and do what {@link HandlerPermissions} adds, nothing else), its own log group, and
 * an alias on a published SnapStart version. Every trigger points at the alias, so a deploy
 * switches triggers to the new snapshot at once and nothing ever runs {@code $LATEST} without
 * SnapStart.
 */
final class HandlerFunction extends Construct {

  /** The alias every trigger targets. */
  static final String ALIAS_NAME = "live";

  private final Role role;
  private final Function function;
  private final Alias alias;
  private final LogGroup logGroup;

  /**
   * @param handlerClass the simple name of the handler class in {@code dev.sluice.serverless}
   * @param reservedConcurrency the function's reserved concurrency, or null for none
   */
  HandlerFunction(
      Construct scope,
      String id,
      SluiceSettings settings,
      Code code,
      String handlerClass,
      String description,
      Duration timeout,
      Map<String, String> environment,
      Integer reservedConcurrency) {
    super(scope, id);
    this.role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description("Sluice " + handlerClass + ": its log group and the contract's grants")
            .build();
    this.logGroup =
        LogGroup.Builder.create(this, "Logs")
            .retention(RetentionDays.ONE_MONTH)
            // The logs are diagnostics of this deployment; they go with it.
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    // What AWSLambdaBasicExecutionRole would give, limited to this function's own log group.
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .sid("WriteOwnLogs")
            .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
            .resources(List.of(logGroup.getLogGroupArn()))
            .build());
    this.function =
        Function.Builder.create(this, "Function")
            .description(description)
            .runtime(settings.runtime().lambdaRuntime())
            .handler("dev.sluice.serverless." + handlerClass + "::handleRequest")
            .code(code)
            .memorySize(settings.memoryMb())
            .timeout(timeout)
            .role(role)
            .logGroup(logGroup)
            .environment(environment)
            .reservedConcurrentExecutions(reservedConcurrency)
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .build();
    this.alias =
        Alias.Builder.create(this, "Alias")
            .aliasName(ALIAS_NAME)
            .version(function.getCurrentVersion())
            .build();
  }

  Role role() {
    return role;
  }

  Function function() {
    return function;
  }

  Alias alias() {
    return alias;
  }

  LogGroup logGroup() {
    return logGroup;
  }
}
