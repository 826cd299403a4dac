package dev.sluice.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTargetTest {
  private static final Duration GENEROUS = Duration.ofSeconds(20);

  @TempDir Path dir;

  private CommandTarget shell(String script, Duration timeout, Map<String, String> extraEnv) {
    return new CommandTarget(
        new CommandTarget.Config(List.of("sh", "-c", script), timeout, dir, extraEnv));
  }

  private CommandTarget shell(String script) {
    return shell(script, GENEROUS, Map.of());
  }

  @Test
  void deliver_whenTheProcessStarts_tellsTheArrivalBeforeTheProcessEnds() {
    Path marker = dir.resolve("ended");
    List<Boolean> endedAtArrival = new java.util.concurrent.CopyOnWriteArrayList<>();

    Outcome outcome =
        shell("sleep 1; touch ended")
            .deliver(TestJobs.full(), () -> endedAtArrival.add(java.nio.file.Files.exists(marker)));

    assertThat(outcome).isEqualTo(Outcome.completed());
    assertThat(endedAtArrival).containsExactly(false);
    assertThat(marker).exists();
  }

  @Test
  void deliver_whenExitZero_completes() {
    assertThat(shell("exit 0").deliver(TestJobs.full())).isEqualTo(Outcome.completed());
  }

  @Test
  void deliver_always_writesJobJsonToStdinInWorkingDir() throws Exception {
    Job job = TestJobs.full();

    shell("cat > stdin.json").deliver(job);

    JsonNode stdin = new ObjectMapper().readTree(dir.resolve("stdin.json").toFile());
    assertThat(stdin.get("bucket").asText()).isEqualTo("photos");
    assertThat(stdin.get("key").asText()).isEqualTo("2026/01/my file+1.parquet");
    assertThat(stdin.get("idempotencyKey").asText())
        .isEqualTo(job.event().identity().idempotencyKey());
    assertThat(stdin.get("attempt").asInt()).isEqualTo(2);
    assertThat(stdin.get("eventId").asLong()).isEqualTo(7);
  }

  @Test
  void deliver_always_setsJobEnvironmentVariablesAndExtraEnv() throws Exception {
    Job job = TestJobs.full();

    Outcome outcome = shell("env > env.txt", GENEROUS, Map.of("TEAM", "data eng")).deliver(job);

    assertThat(outcome).isEqualTo(Outcome.completed());
    Map<String, String> env = readEnv(dir.resolve("env.txt"));
    assertThat(env)
        .containsEntry("SLUICE_BUCKET", "photos")
        .containsEntry("SLUICE_KEY", "2026/01/my file+1.parquet")
        .containsEntry("SLUICE_SIZE", "1234")
        .containsEntry("SLUICE_ETAG", "d41d8cd98f00b204e9800998ecf8427e")
        .containsEntry("SLUICE_VERSION_ID", "3HL4kqtJlcpXroDTDmJ")
        .containsEntry("SLUICE_EVENT_NAME", "ObjectCreated:Put")
        .containsEntry("SLUICE_ATTEMPT", "2")
        // Golden value computed outside this code (sha256sum, as in JobJsonTest).
        .containsEntry(
            "SLUICE_IDEMPOTENCY_KEY",
            "497569783131935cf236c72ec26ed8e20e2911dea7a977cb80d31dfcfd506ab0")
        .containsEntry("SLUICE_EVENT_ID", "7")
        .containsEntry("SLUICE_RELEASE_ID", "9")
        .containsEntry("TEAM", "data eng");
  }

  @Test
  void deliver_whenFieldsUnknown_leavesTheirVariablesUnset() throws Exception {
    // An extra variable of the same name must not leak through as if the job had that field.
    shell("env > env.txt", GENEROUS, Map.of("SLUICE_ETAG", "stale")).deliver(TestJobs.minimal());

    Map<String, String> env = readEnv(dir.resolve("env.txt"));
    assertThat(env).containsEntry("SLUICE_KEY", "a.txt");
    assertThat(env).doesNotContainKeys("SLUICE_SIZE", "SLUICE_ETAG", "SLUICE_VERSION_ID");
  }

  @Test
  void deliver_whenExit75_failsRetryableAfterReadingStdin() throws Exception {
    Outcome outcome = shell("cat > stdin.json; exit 75").deliver(TestJobs.full());

    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    Outcome.Failed failed = (Outcome.Failed) outcome;
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.error()).contains("75");
    assertThat(Files.readString(dir.resolve("stdin.json"))).contains("\"bucket\":\"photos\"");
  }

  @Test
  void deliver_whenOtherNonZeroExit_failsPermanentlyWithCodeAndStderr() {
    String script = "echo 'cannot parse parquet footer' >&2; exit 3";

    Outcome outcome = shell(script).deliver(TestJobs.full());

    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    Outcome.Failed failed = (Outcome.Failed) outcome;
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.error()).contains("exited with 3").contains("cannot parse parquet footer");
  }

  @Test
  void deliver_whenStderrIsLong_keepsOnlyItsLastTwoKilobytes() {
    // 200 KB of stderr, then a last line: the error shows how it ended, not how it began.
    String script =
        "echo FIRST-LINE >&2; i=0; while [ $i -lt 2000 ]; do "
            + "echo '"
            + "x".repeat(99)
            + "' >&2; i=$((i+1)); done; echo LAST-LINE >&2; exit 1";

    Outcome.Failed failed = (Outcome.Failed) shell(script).deliver(TestJobs.full());

    assertThat(failed.retryable()).isFalse();
    assertThat(failed.error()).contains("LAST-LINE").doesNotContain("FIRST-LINE");
    assertThat(failed.error().length()).isBetween(1500, 2300);
  }

  @Test
  void deliver_whenChildWritesMegabytesToStdoutAndStderr_doesNotBlock() {
    // Far beyond a 64 KB pipe buffer: an undrained pipe would stall the child until the timeout.
    String script = "head -c 2000000 /dev/zero; head -c 2000000 /dev/zero >&2; exit 0";

    assertThat(shell(script).deliver(TestJobs.full())).isEqualTo(Outcome.completed());
  }

  @Test
  void deliver_whenTimeoutPasses_killsProcessAndDescendantsAndFailsRetryable() throws Exception {
    // The shell backgrounds a descendant that sleeps, then leaves a mark, and waits for it.
    String script =
        "echo $$ > shell.pid; (sleep 10; touch finished) & echo $! > child.pid; wait; touch finished";
    CommandTarget target = shell(script, Duration.ofMillis(200), Map.of());

    Outcome outcome = target.deliver(TestJobs.full());
    // Returned before the work's own end (not merely within some time), and the work never ends.
    assertThat(dir.resolve("finished")).doesNotExist();

    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    Outcome.Failed failed = (Outcome.Failed) outcome;
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.error()).contains("timed out after 200 ms");
    long shellPid = Long.parseLong(Files.readString(dir.resolve("shell.pid")).strip());
    long childPid = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
    assertThat(isRunning(shellPid)).as("shell %d running", shellPid).isFalse();
    awaitNotRunning(childPid);
    assertThat(dir.resolve("finished")).as("the killed work never finished").doesNotExist();
  }

  @Test
  void deliver_whenProgramRunsDirectlyPastTimeout_failsRetryableBeforeTheProgramEnds() {
    Duration programRuns = Duration.ofSeconds(10);
    CommandTarget target =
        new CommandTarget(
            new CommandTarget.Config(
                List.of("sleep", Long.toString(programRuns.toSeconds())),
                Duration.ofMillis(200),
                null,
                null));

    long start = System.nanoTime();
    Outcome outcome = target.deliver(TestJobs.full());

    // An order, not a speed: the answer came before the program would have ended by itself.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(programRuns);
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) outcome).retryable()).isTrue();
    assertThat(((Outcome.Failed) outcome).error()).contains("timed out after 200 ms");
  }

  @Test
  void deliver_whenProgramDoesNotExist_failsPermanentlyNamingIt() {
    CommandTarget target =
        new CommandTarget(CommandTarget.Config.of(List.of("no-such-program-sluice-test", "x")));

    Outcome outcome = target.deliver(TestJobs.full());

    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    Outcome.Failed failed = (Outcome.Failed) outcome;
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.error()).contains("no-such-program-sluice-test");
  }

  @Test
  void config_whenCommandEmpty_isRejected() {
    assertThatThrownBy(() -> CommandTarget.Config.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command must name a program, got nothing");
    assertThatThrownBy(() -> CommandTarget.Config.of(null))
        .hasMessage("command must name a program, got nothing");
  }

  @Test
  void config_whenTimeoutNotPositive_isRejected() {
    assertThatThrownBy(
            () -> new CommandTarget.Config(List.of("true"), Duration.ZERO, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be a positive duration, got ");
    assertThatThrownBy(
            () -> new CommandTarget.Config(List.of("true"), Duration.ofSeconds(-1), null, Map.of()))
        .hasMessageContaining("timeout must be a positive duration, got ");
  }

  @Test
  void describe_always_showsTheCommand() {
    assertThat(shell("exit 0").describe()).isEqualTo("command sh -c exit 0");
  }

  private static Map<String, String> readEnv(Path file) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  /** Alive and not a zombie: a killed orphan may wait unreaped if PID 1 does not reap. */
  private static boolean isRunning(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitNotRunning(long pid) {
    // SIGKILL is delivered asynchronously; give the kernel a moment to finish the descendant.
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(isRunning(pid)).as("child %d running", pid).isFalse());
  }
}
