package dev.sluice.targets.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Job;
import dev.sluice.targets.JobJson;

/**
 * The input of the execution that runs one attempt of a job's event: the job's JSON without what
 * changes from one release to the next (release id and time). Step Functions treats a second {@code
 * StartExecution} with the same name as the same request only when the input is the same too, so a
 * redelivery must send exactly the same text.
 */
final class ExecutionInput {

  private ExecutionInput() {}

  static String of(Job job, int attempt) {
    ObjectNode node = JobJson.toNode(job);
    node.remove("releasedAt");
    node.remove("releaseId");
    node.put("attempt", attempt);
    return node.toString();
  }
}
