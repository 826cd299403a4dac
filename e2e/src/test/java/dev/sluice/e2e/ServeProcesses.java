package dev.sluice.e2e;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The services a test started. Right after the test method (before its temporary directory is
 * deleted) it prints their stdout and stderr if the test failed, and kills any still running.
 */
final class ServeProcesses implements AfterTestExecutionCallback {
  private final List<SluiceServeProcess> processes = new ArrayList<>();

  SluiceServeProcess track(SluiceServeProcess process) {
    processes.add(process);
    return process;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      for (SluiceServeProcess p : processes) {
        System.out.println(p.output());
      }
    }
    processes.forEach(SluiceServeProcess::close);
    processes.clear();
  }
}
