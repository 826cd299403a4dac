package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A target whose answers a test scripts, recording every job it receives. */
final class ScriptedTarget implements Target {
  final List<Job> received = new CopyOnWriteArrayList<>();
  private final Function<Job, Outcome> script;

  ScriptedTarget(Function<Job, Outcome> script) {
    this.script = script;
  }

  static ScriptedTarget completing() {
    return new ScriptedTarget(j -> Outcome.completed());
  }

  @Override
  public Outcome deliver(Job job) {
    received.add(job);
    return script.apply(job);
  }

  @Override
  public String describe() {
    return "scripted";
  }
}
