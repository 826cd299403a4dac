package dev.sluice.serverless.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/**
 * Writes the CloudFormation template of Sluice's serverless shape (a cloud assembly) and checks it
 * with cdk-nag's AwsSolutions rules.
 *
 * <p>One command writes it, from the repository root (settings as {@code key=value} arguments; see
 * docs/deploy-aws.md for every key):
 *
 * <pre>
 * ./mvnw -q -pl serverless-cdk compile exec:java -Dexec.args="limit=50 outdir=/tmp/sluice-cdk"
 * </pre>
 *
 * <p>then {@code npx aws-cdk@2 deploy --app /tmp/sluice-cdk} deploys it. The CDK CLI may also run
 * this class itself ({@code --app "java -cp ... dev.sluice.serverless.cdk.SluiceApp"}), passing
 * {@code -c key=value} context and its output directory in the environment as usual.
 */
public final class SluiceApp {

  /** The stack's name when the {@code stackName} context key is not given. */
  public static final String DEFAULT_STACK_NAME = "Sluice";

  /** Set by the build so that a relative handler jar is found from the module directory. */
  static final String MODULE_DIR_PROPERTY = "sluice.cdk.moduleDir";

  private SluiceApp() {}

  public static void main(String[] args) {
    Map<String, Object> context = arguments(args);
    AppProps.Builder props = AppProps.builder().context(context);
    Path moduleDir = Path.of(System.getProperty(MODULE_DIR_PROPERTY, "."));
    Object outdir = context.get("outdir");
    if (outdir != null) {
      props.outdir(outdir.toString());
    } else if (System.getenv("CDK_OUTDIR") == null) {
      // Run by hand rather than by the CDK CLI (which names its own directory).
      props.outdir(moduleDir.resolve("cdk.out").toString());
    }
    App app = new App(props.build());
    SluiceStack stack;
    try {
      stack = define(app, moduleDir);
    } catch (InvalidSettingException e) {
      System.err.println("sluice-cdk: " + e.getMessage());
      System.exit(2);
      return;
    }
    String directory = app.synth().getDirectory();
    System.out.println(
        "Wrote "
            + directory
            + "/"
            + stack.getTemplateFile()
            + "\nDeploy it with: npx aws-cdk@2 deploy --app "
            + directory);
  }

  /**
   * Adds the Sluice stack to {@code app}, built from the app's context, and registers the cdk-nag
   * AwsSolutions checks that run when the app is synthesized.
   *
   * @param moduleDir where a relative {@code handlerJar} is resolved from
   * @throws InvalidSettingException when a context value is wrong
   */
  public static SluiceStack define(App app, Path moduleDir) {
    Object name = app.getNode().tryGetContext("stackName");
    String stackName = name == null ? DEFAULT_STACK_NAME : name.toString();
    SluiceSettings settings =
        SluiceSettings.fromContext(key -> app.getNode().tryGetContext(key), moduleDir, stackName);
    SluiceStack stack =
        new SluiceStack(
            app,
            stackName,
            StackProps.builder()
                .description(
                    "Sluice: S3 object events released to "
                        + (settings.targetFunction() == null
                            ? "Step Functions"
                            : "a Lambda function")
                        + ", N per tick")
                .build(),
            settings);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return stack;
  }

  /** {@code key=value} arguments, each a context entry. */
  static Map<String, Object> arguments(String[] args) {
    Map<String, Object> context = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("expected key=value, got \"" + arg + "\"");
      }
      context.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    return context;
  }
}
