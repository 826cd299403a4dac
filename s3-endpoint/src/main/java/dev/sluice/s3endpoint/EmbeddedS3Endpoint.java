package dev.sluice.s3endpoint;

import dev.sluice.core.SluiceException;
import dev.sluice.core.time.TimeSource;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeoutException;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.gaul.shaded.org.eclipse.jetty.server.Server;

/**
 * An S3-compatible HTTP endpoint, in process, whose every new object becomes an event.
 *
 * <p>Clients (AWS SDK, AWS CLI, anything that speaks S3 with path-style addressing) put objects;
 * the endpoint keeps them as files under {@code dataDir/<bucket>/<key>} (escaped where a key
 * segment is not a usable file name, see {@link KeyPaths}) and hands one {@link
 * dev.sluice.core.ObjectEvent} per new object (put, complete-multipart-upload, copy) to the {@link
 * ObjectEventSink} before it answers. A client that got a 2xx therefore has its event kept.
 *
 * <pre>{@code
 * try (EmbeddedS3Endpoint s3 = EmbeddedS3Endpoint.start(
 *     EmbeddedS3Config.anonymous(dir, List.of("incoming")), backlog::appendAll)) {
 *   URI endpoint = s3.endpoint(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class EmbeddedS3Endpoint implements AutoCloseable {
  /**
   * How long {@link #close()} lets requests in progress finish. Short, because an idle keep-alive
   * connection holds the server's graceful stop for the whole period, and a request cut off here
   * was never acknowledged: its client retries and nothing is lost.
   */
  public static final Duration STOP_GRACE = Duration.ofMillis(250);

  private final S3Proxy proxy;
  private final BlobStore store;
  private final URI endpoint;
  private final EmbeddedS3Config config;

  private EmbeddedS3Endpoint(
      S3Proxy proxy, BlobStore store, URI endpoint, EmbeddedS3Config config) {
    this.proxy = proxy;
    this.store = store;
    this.endpoint = endpoint;
    this.config = config;
  }

  /** Starts the endpoint on real time. */
  public static EmbeddedS3Endpoint start(EmbeddedS3Config config, ObjectEventSink sink) {
    return start(config, sink, TimeSource.system());
  }

  /**
   * Starts the endpoint; returns once it accepts connections.
   *
   * @param time gives each event its event time and sequencer
   * @throws SluiceException when the data directory or the port cannot be used
   */
  public static EmbeddedS3Endpoint start(
      EmbeddedS3Config config, ObjectEventSink sink, TimeSource time) {
    if (config == null || sink == null || time == null) {
      throw new IllegalArgumentException("config, sink and time must not be null");
    }
    BlobStore files = openDataDir(config);
    BlobStore store =
        new EventingBlobStore(
            new KeyPathBlobStore(files, config.dataDir().toAbsolutePath()), sink, time);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://" + config.host() + ":" + config.port()))
            .awsAuthentication(
                config.isAnonymous() ? AuthenticationType.NONE : AuthenticationType.AWS_V4,
                config.accessKey(),
                config.secretKey())
            .stopTimeout(STOP_GRACE.toMillis())
            .build();
    drainRequestBodies(proxy);
    try {
      proxy.start();
    } catch (Exception e) {
      store.close();
      throw new SluiceException(
          "could not start the S3 endpoint on " + config.host() + ":" + config.port(), e);
    }
    URI endpoint = URI.create("http://" + config.host() + ":" + proxy.getPort());
    return new EmbeddedS3Endpoint(proxy, store, endpoint, config);
  }

  /**
   * Installs {@link RequestBodyDrainFilter} in s3proxy's servlet context. s3proxy offers no hook
   * for this, so it reaches its Jetty server by reflection; a failure here is a bug against a new
   * s3proxy version, reported at start rather than as rare duplicate events later.
   */
  private static void drainRequestBodies(S3Proxy proxy) {
    try {
      Field serverField = S3Proxy.class.getDeclaredField("server");
      serverField.setAccessible(true);
      Server server = (Server) serverField.get(proxy);
      ServletContextHandler context = server.getDescendant(ServletContextHandler.class);
      if (context == null) {
        throw new SluiceException("s3proxy's Jetty server has no servlet context");
      }
      context.addFilter(
          new FilterHolder(new RequestBodyDrainFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new SluiceException("could not install the request body filter in s3proxy", e);
    }
  }

  private static BlobStore openDataDir(EmbeddedS3Config config) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new SluiceException("could not create s3.dataDir " + config.dataDir(), e);
    }
    BlobStore files = new FilesystemNio2BlobStore(config.dataDir().toAbsolutePath().toString());
    for (String bucket : config.buckets()) {
      if (!files.containerExists(bucket)) {
        files.createContainer(bucket);
      }
    }
    return files;
  }

  /** Where clients connect, e.g. {@code http://127.0.0.1:41234}; use path-style addressing. */
  public URI endpoint() {
    return endpoint;
  }

  /** Jetty's life-cycle state, e.g. {@code STARTED} or {@code STOPPED}. */
  String state() {
    return proxy.getState();
  }

  /** The configuration it was started with. */
  public EmbeddedS3Config config() {
    return config;
  }

  /** Stops accepting requests and waits for the ones in progress. */
  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (TimeoutException e) {
      // Jetty reports that the grace ran out (usually an idle keep-alive connection) after it has
      // stopped anyway; there is nothing left to do.
    } catch (Exception e) {
      throw new SluiceException("could not stop the S3 endpoint at " + endpoint, e);
    } finally {
      store.close();
    }
  }
}
