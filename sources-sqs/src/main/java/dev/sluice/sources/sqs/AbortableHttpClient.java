package dev.sluice.sources.sqs;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * An HTTP client that can abort the requests it is running. A long poll blocks in a socket read
 * that a thread interrupt does not end; aborting the request closes the connection, so {@link
 * SqsSource#close()} need not wait out the poll's wait time.
 */
final class AbortableHttpClient implements SdkHttpClient {
  private final SdkHttpClient delegate;
  private final Set<ExecutableHttpRequest> running = ConcurrentHashMap.newKeySet();

  AbortableHttpClient(SdkHttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest prepared = delegate.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        running.add(prepared);
        try {
          return prepared.call();
        } finally {
          running.remove(prepared);
        }
      }

      @Override
      public void abort() {
        prepared.abort();
      }
    };
  }

  /** Aborts every request in progress; each fails with an I/O error. */
  void abortRunning() {
    running.forEach(ExecutableHttpRequest::abort);
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
