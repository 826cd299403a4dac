package dev.sluice.serverless.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * What the operator watches: alarms on both dead-letter queues and on the age of the oldest waiting
 * event, optionally mailed through an SNS topic, and a dashboard of releases per tick, backlog, in
 * flight, failures and dead letters. The {@code Sluice} metrics are the ones the handlers print in
 * embedded metric format, by {@code Pipeline}; a state machine's own failed and throttled
 * executions join the failures when the target is one.
 */
final class SluiceMonitoring extends Construct {

  /** The namespace of the metrics the handlers print. */
  static final String NAMESPACE = "Sluice";

  private final Dashboard dashboard;
  private final List<Alarm> alarms = new ArrayList<>();
  private final Topic topic;

  /**
   * @param stateMachine the target state machine, or null when the target is a function
   */
  SluiceMonitoring(
      Construct scope,
      String id,
      SluiceSettings settings,
      SluiceQueues queues,
      IStateMachine stateMachine) {
    super(scope, id);
    Duration tick = Duration.seconds(settings.schedule().every().toSeconds());
    Duration minute = Duration.minutes(1);

    alarms.add(
        deadLetterAlarm(
            "EventDeadLettersAlarm",
            queues.eventDeadLetterQueue(),
            "Events moved to the event DLQ: the scheduler could not move them"));
    alarms.add(
        deadLetterAlarm(
            "InvocationDeadLettersAlarm",
            queues.invocationDeadLetterQueue(),
            stateMachine == null
                ? "Jobs dead-lettered: invocations that failed for good or kept failing"
                : "Jobs dead-lettered: executions that could not be started or kept failing"));
    alarms.add(
        Alarm.Builder.create(this, "OldestEventAlarm")
            .alarmDescription(
                "The oldest waiting event is older than "
                    + settings.oldestMessageAlarmSeconds()
                    + " s: the backlog is not draining at N per tick")
            .metric(
                queues
                    .eventQueue()
                    .metricApproximateAgeOfOldestMessage(
                        MetricOptions.builder().period(minute).statistic("Maximum").build()))
            .threshold(settings.oldestMessageAlarmSeconds())
            .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
            .evaluationPeriods(1)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build());

    if (settings.alarmEmail() != null) {
      this.topic = Topic.Builder.create(this, "AlarmTopic").enforceSsl(true).build();
      topic.addSubscription(new EmailSubscription(settings.alarmEmail()));
      Nag.acknowledge(
          topic,
          "AwsSolutions-SNS2",
          "CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS"
              + " key, and the alarm messages name only queues and thresholds, no object"
              + " data; a customer-managed key would cost more than what it protects.");
      for (Alarm alarm : alarms) {
        alarm.addAlarmAction(new SnsAction(topic));
      }
    } else {
      this.topic = null;
    }

    this.dashboard =
        Dashboard.Builder.create(this, "Dashboard")
            .dashboardName(settings.pipeline() + "-sluice")
            .build();
    dashboard.addWidgets(
        graph("Released per tick", List.of(sluice("Released", settings, "Sum", tick)), tick),
        graph(
            "Backlog",
            List.of(
                queues
                    .eventQueue()
                    .metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder()
                            .label("event queue visible")
                            .statistic("Maximum")
                            .period(minute)
                            .build()),
                sluice("Backlog", settings, "Maximum", tick)),
            minute),
        graph("In flight", List.of(sluice("InFlight", settings, "Maximum", tick)), tick));
    List<IMetric> failures =
        new ArrayList<>(
            List.of(
                sluice("Failed", settings, "Sum", minute),
                sluice("DeadLettered", settings, "Sum", minute)));
    if (stateMachine != null) {
      failures.add(
          stateMachine.metricFailed(
              MetricOptions.builder()
                  .label("executions failed")
                  .statistic("Sum")
                  .period(minute)
                  .build()));
      failures.add(
          stateMachine.metricThrottled(
              MetricOptions.builder()
                  .label("executions throttled")
                  .statistic("Sum")
                  .period(minute)
                  .build()));
    }
    dashboard.addWidgets(
        graph("Failures", failures, minute),
        graph(
            "Starts and retries",
            List.of(
                sluice("Started", settings, "Sum", minute),
                sluice("Throttled", settings, "Sum", minute),
                sluice("Retried", settings, "Sum", minute)),
            minute),
        graph(
            "Dead-letter queue depth",
            List.of(
                depth(queues.eventDeadLetterQueue(), "event DLQ"),
                depth(queues.invocationDeadLetterQueue(), "invocation DLQ")),
            minute));
  }

  private Alarm deadLetterAlarm(String id, IQueue deadLetterQueue, String description) {
    return Alarm.Builder.create(this, id)
        .alarmDescription(description)
        .metric(
            deadLetterQueue.metricApproximateNumberOfMessagesVisible(
                MetricOptions.builder().period(Duration.minutes(1)).statistic("Maximum").build()))
        .threshold(0)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .evaluationPeriods(1)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
  }

  private static Metric sluice(
      String name, SluiceSettings settings, String statistic, Duration period) {
    return Metric.Builder.create()
        .namespace(NAMESPACE)
        .metricName(name)
        .dimensionsMap(Map.of("Pipeline", settings.pipeline()))
        .statistic(statistic)
        .period(period)
        .label(name)
        .build();
  }

  private static IMetric depth(IQueue queue, String label) {
    return queue.metricApproximateNumberOfMessagesVisible(
        MetricOptions.builder()
            .label(label)
            .statistic("Maximum")
            .period(Duration.minutes(1))
            .build());
  }

  private static GraphWidget graph(String title, List<IMetric> metrics, Duration period) {
    return GraphWidget.Builder.create().title(title).left(metrics).period(period).width(8).build();
  }

  Dashboard dashboard() {
    return dashboard;
  }

  List<Alarm> alarms() {
    return List.copyOf(alarms);
  }

  /** The alarm topic, or null when no {@code alarmEmail} was given. */
  Topic topic() {
    return topic;
  }
}
