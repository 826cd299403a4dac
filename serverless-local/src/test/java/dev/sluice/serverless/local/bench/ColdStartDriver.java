package dev.sluice.serverless.local.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM on the function's shaded jar alone: makes the handler as the Lambda runtime
 * does (its no-argument constructor, settings and SDK clients from the environment) and hands it
 * one event, then prints when that happened, in epoch milliseconds:
 *
 * <pre>
 * jvmStart=... main=... constructed=... handled=...
 * </pre>
 *
 * Arguments: the handler's simple class name ({@code IntakeHandler}, ...) and a file with the
 * event. Uses nothing but the JDK and the shaded jar.
 */
public final class ColdStartDriver {
  private ColdStartDriver() {}

  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    RequestStreamHandler handler =
        (RequestStreamHandler)
            Class.forName("dev.sluice.serverless." + args[0]).getConstructor().newInstance();
    long constructed = System.currentTimeMillis();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), answer, null);
    long handled = System.currentTimeMillis();
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println(
        "jvmStart="
            + jvmStart
            + " main="
            + main
            + " constructed="
            + constructed
            + " handled="
            + handled
            + " answer="
            + answer.toString(java.nio.charset.StandardCharsets.UTF_8).replace('\n', ' '));
  }
}
