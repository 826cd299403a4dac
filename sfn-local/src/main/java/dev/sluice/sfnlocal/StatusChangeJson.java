package dev.sluice.sfnlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Writes a status change as the EventBridge event Step Functions emits for it. */
final class StatusChangeJson {

  private final ObjectMapper mapper;

  StatusChangeJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The event for {@code execution} having just changed to its current status at {@code time}. */
  StatusChangeEvent eventOf(RecordedExecution execution, Instant time) {
    String id = UUID.randomUUID().toString();
    ObjectNode event = mapper.createObjectNode();
    event.put("version", "0");
    event.put("id", id);
    event.put("detail-type", StatusChangeEvent.DETAIL_TYPE);
    event.put("source", StatusChangeEvent.SOURCE);
    event.put("account", Arns.account(execution.executionArn()));
    // EventBridge writes the event time to the second.
    event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", Arns.region(execution.executionArn()));
    event.putArray("resources").add(execution.executionArn());
    ObjectNode detail = event.putObject("detail");
    detail.put("executionArn", execution.executionArn());
    detail.put("stateMachineArn", execution.stateMachineArn());
    detail.put("name", execution.name());
    detail.put("status", execution.status().name());
    detail.put("startDate", execution.startedAt().toEpochMilli());
    if (execution.stoppedAt() == null) {
      detail.putNull("stopDate");
    } else {
      detail.put("stopDate", execution.stoppedAt().toEpochMilli());
    }
    detail.put("input", execution.input());
    detail.putObject("inputDetails").put("included", true);
    detail.put("output", execution.output());
    if (execution.output() == null) {
      detail.putNull("outputDetails");
    } else {
      detail.putObject("outputDetails").put("included", true);
    }
    detail.put("error", execution.error());
    detail.put("cause", execution.cause());
    try {
      return new StatusChangeEvent(id, time, execution, mapper.writeValueAsString(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the event of " + execution.executionArn(), e);
    }
  }
}
