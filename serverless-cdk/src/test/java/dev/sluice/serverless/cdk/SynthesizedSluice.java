package dev.sluice.serverless.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;
import software.constructs.MetadataEntry;

/**
 * One Sluice stack synthesized from some context, as {@link SluiceApp} builds it, with a stand-in
 * handler jar: the template, the stack's constructs (to tell which resource is which), and what
 * cdk-nag's AwsSolutions checks report. A synth costs seconds, so each test class makes one.
 */
final class SynthesizedSluice {
  final SluiceStack stack;
  final Template template;
  final Map<String, Object> json;
  final PolicyValidationPluginReport nagReport;
  final App app;

  private SynthesizedSluice(App app, SluiceStack stack) {
    this.app = app;
    this.stack = stack;
    // Synthesizing runs the registered AwsSolutions plugin too: a violation fails right here.
    this.template = Template.fromStack(stack);
    this.json = template.toJSON();
    this.nagReport = new AwsSolutionsChecks(app).validateScope(app);
  }

  static SynthesizedSluice of(Map<String, Object> context) {
    Path dir = tempDir();
    Map<String, Object> withJar = new LinkedHashMap<>(context);
    withJar.put("handlerJar", standInJar(dir).toString());
    App app =
        new App(
            AppProps.builder().context(withJar).outdir(dir.resolve("cdk.out").toString()).build());
    return new SynthesizedSluice(app, SluiceApp.define(app, dir));
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("sluice-cdk-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A jar holding one file: the stack only uploads it, never opens it. */
  static Path standInJar(Path dir) {
    Path jar = dir.resolve("sluice-serverless.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  /** The resources of one type: logical id to the resource (Type, Properties, ...). */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> resources(String type) {
    Map<String, Map<String, Object>> found = new LinkedHashMap<>();
    Map<String, Object> all = (Map<String, Object>) json.get("Resources");
    all.forEach(
        (id, resource) -> {
          Map<String, Object> r = (Map<String, Object>) resource;
          if (type.equals(r.get("Type"))) {
            found.put(id, r);
          }
        });
    return found;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }

  /** The logical id of a construct's CloudFormation resource. */
  String logicalId(IConstruct construct) {
    IConstruct resource =
        construct.getNode().getDefaultChild() != null
            ? construct.getNode().getDefaultChild()
            : construct;
    return stack.getLogicalId((software.amazon.awscdk.CfnElement) resource);
  }

  /** The template form of a token (a {@code Ref}, a {@code Fn::GetAtt}, a literal). */
  Object resolve(Object token) {
    return stack.resolve(token);
  }

  /** The names of the AwsSolutions findings nobody acknowledged, with where they are. */
  List<String> unacknowledgedFindings() {
    List<String> findings = new ArrayList<>();
    nagReport
        .getViolations()
        .forEach(
            v ->
                v.getViolatingResources()
                    .forEach(
                        r ->
                            findings.add(
                                v.getSeverity()
                                    + " "
                                    + v.getRuleName()
                                    + " at "
                                    + r.getConstructPath())));
    return findings;
  }

  /** Every acknowledgment in the app: rule id to reason, with the construct path. */
  @SuppressWarnings("unchecked")
  List<String[]> acknowledgments() {
    List<String[]> found = new ArrayList<>();
    collect(app, found);
    return found;
  }

  @SuppressWarnings("unchecked")
  private static void collect(IConstruct construct, List<String[]> found) {
    for (MetadataEntry entry : construct.getNode().getMetadata()) {
      if (Validations.ACKNOWLEDGED_RULES_METADATA_KEY.equals(entry.getType())) {
        ((Map<String, Object>) entry.getData())
            .forEach(
                (id, reason) ->
                    found.add(
                        new String[] {
                          construct.getNode().getPath(),
                          id,
                          reason == null ? null : reason.toString()
                        }));
      }
    }
    for (IConstruct child : construct.getNode().getChildren()) {
      collect(child, found);
    }
  }

  Stack stack() {
    return stack;
  }
}
