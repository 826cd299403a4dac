package dev.sluice.serverless.cdk;

import software.amazon.awscdk.services.lambda.Runtime;

/**
 * The Lambda runtimes the handler jar is built for. The jar holds Java 17 bytecode, so both run it;
 * both support SnapStart.
 */
public enum HandlerRuntime {
  JAVA_17("java17"),
  JAVA_21("java21");

  private final String contextValue;

  HandlerRuntime(String contextValue) {
    this.contextValue = contextValue;
  }

  /** The value of the {@code runtime} context key, which is also Lambda's runtime identifier. */
  public String contextValue() {
    return contextValue;
  }

  Runtime lambdaRuntime() {
    return this == JAVA_17 ? Runtime.JAVA_17 : Runtime.JAVA_21;
  }

  static HandlerRuntime fromContext(String key, String value) {
    for (HandlerRuntime runtime : values()) {
      if (runtime.contextValue.equals(value)) {
        return runtime;
      }
    }
    throw new InvalidSettingException(key, "must be java17 or java21", value);
  }
}
