package dev.sluice.targets;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first characters of a response body and stops reading there, so an error page of any
 * size costs a bounded amount of memory and time.
 */
final class BodySnippet implements HttpResponse.BodySubscriber<String> {
  private final int maxChars;
  private final int maxBytes;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final CompletableFuture<String> body = new CompletableFuture<>();
  private Flow.Subscription subscription;

  BodySnippet(int maxChars) {
    this.maxChars = maxChars;
    // UTF-8 takes at most 4 bytes per character.
    this.maxBytes = maxChars * 4;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      int take = Math.min(buffer.remaining(), maxBytes - kept.size());
      byte[] bytes = new byte[take];
      buffer.get(bytes);
      kept.write(bytes, 0, take);
    }
    if (kept.size() >= maxBytes) {
      finish();
      subscription.cancel();
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onError(Throwable failure) {
    // A body cut short still tells the operator something; keep what arrived.
    finish();
  }

  @Override
  public void onComplete() {
    finish();
  }

  private void finish() {
    String text = kept.toString(StandardCharsets.UTF_8).strip();
    body.complete(text.length() > maxChars ? text.substring(0, maxChars) : text);
  }

  @Override
  public CompletionStage<String> getBody() {
    return body;
  }
}
