package dev.sluice.cli;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Writes objects straight into the embedded S3 endpoint's storage (the same files and attributes a
 * PUT leaves), without an HTTP request and without the endpoint's notification: thousands of
 * objects in a second or two, and objects whose notification never went out.
 */
final class BucketStorage implements AutoCloseable {
  private final BlobStore files;

  BucketStorage(Path objectsDir) {
    this.files = new FilesystemNio2BlobStore(objectsDir.toAbsolutePath().toString());
  }

  /** Puts an object whose content is its key; returns the eTag, unquoted. */
  String put(String bucket, String key) {
    byte[] body = key.getBytes(StandardCharsets.UTF_8);
    String eTag =
        files
            .putBlob(
                PutObjectRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .contentLength((long) body.length)
                    .build(),
                new ByteArrayInputStream(body))
            .eTag();
    return eTag.replace("\"", "");
  }

  @Override
  public void close() {
    files.close();
  }
}
