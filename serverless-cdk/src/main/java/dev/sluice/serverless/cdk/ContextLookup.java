package dev.sluice.serverless.cdk;

/**
 * Where settings come from: a CDK app's context ({@code -c key=value}, {@code cdk.json}) or, in
 * tests, a plain map. A value may be a string (command line) or a number or boolean (JSON).
 */
@FunctionalInterface
public interface ContextLookup {

  /** The value given for {@code key}, or null when none was given. */
  Object value(String key);
}
