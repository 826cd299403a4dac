package dev.sluice.s3endpoint;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.BacklogUnavailableException;
import dev.sluice.core.time.TimeSource;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A blob store that hands every new object to an {@link ObjectEventSink} after writing it and
 * before the S3 handler answers the client.
 *
 * <p>The three writes that create an object in S3 are seen here: put, complete-multipart-upload and
 * copy. A sink failure propagates, so the handler answers 5xx and the client retries: 503 SlowDown
 * when the backlog cannot write (a full disk), 500 InternalError for anything else.
 */
final class EventingBlobStore extends ForwardingBlobStore {
  static final String SOURCE = "s3-endpoint";
  static final String PUT = "ObjectCreated:Put";
  static final String COMPLETE_MULTIPART_UPLOAD = "ObjectCreated:CompleteMultipartUpload";
  static final String COPY = "ObjectCreated:Copy";

  // s3proxy keeps a placeholder object per multipart upload under this prefix; it is bookkeeping,
  // not an object a client created.
  static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

  private final ObjectEventSink sink;
  private final TimeSource time;
  private final S3Sequencer sequencer = new S3Sequencer();

  EventingBlobStore(BlobStore delegate, ObjectEventSink sink, TimeSource time) {
    super(delegate);
    this.sink = sink;
    this.time = time;
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
    CountingInputStream counted = new CountingInputStream(input);
    PutObjectResponse response = super.putBlob(request, counted);
    long size = response.size() != null ? response.size() : counted.count();
    if (isMultipartStub(request.key())) {
      return response;
    }
    publish(request.bucket(), request.key(), size, response.eTag(), response.versionId(), PUT);
    return response;
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      MultipartUpload upload, CompleteMultipartUploadRequest request) {
    CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
    String bucket = upload.containerName();
    String key = upload.blobName();
    try {
      publish(
          bucket,
          key,
          sizeOf(bucket, key, response.eTag()),
          response.eTag(),
          response.versionId(),
          COMPLETE_MULTIPART_UPLOAD);
    } catch (RuntimeException e) {
      // s3proxy has already answered 200 here and reports this error inside the body; the SDK then
      // retries, and s3proxy answers a retried completion "already completed" when it finds the
      // object, without coming back here. Removing the object turns that retry into NoSuchUpload,
      // so
      // the client learns the upload failed instead of being told it succeeded without an event.
      delegate().removeBlob(bucket, key);
      throw e;
    }
    return response;
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    CopyObjectResponse response = super.copyBlob(request);
    String bucket = request.destinationBucket();
    String key = request.destinationKey();
    String eTag = response.copyObjectResult() == null ? null : response.copyObjectResult().eTag();
    publish(bucket, key, sizeOf(bucket, key, eTag), eTag, response.versionId(), COPY);
    return response;
  }

  private void publish(
      String bucket, String key, Long size, String eTag, String versionId, String eventName) {
    Instant eventTime = time.now();
    ObjectEvent event =
        new ObjectEvent(
            bucket,
            key,
            size,
            unquoted(eTag),
            versionId,
            sequencer.next(eventTime),
            eventName,
            eventTime,
            SOURCE);
    try {
      sink.accept(List.of(event));
    } catch (BacklogUnavailableException e) {
      // A backlog that cannot commit (a full disk) is the server's state, not the request's fault:
      // S3's answer for that is 503 SlowDown, which clients retry with backoff. s3proxy has no code
      // of its own for it, but answers any AwsServiceException with that exception's code and
      // status.
      String message =
          "the event of "
              + bucket
              + "/"
              + key
              + " could not be kept ("
              + (e.full() ? "the backlog's disk is full" : "the backlog cannot write")
              + "); retry the request later";
      throw S3Exception.builder()
          .statusCode(503)
          .message(message)
          .cause(e)
          .awsErrorDetails(
              AwsErrorDetails.builder()
                  .errorCode("SlowDown")
                  .errorMessage(message)
                  .serviceName("S3")
                  .build())
          .build();
    } catch (RuntimeException e) {
      // s3proxy answers 400 to IllegalArgumentException/IllegalStateException, and a client does
      // not retry a 400; a 500 it retries, which is what an event we could not keep needs.
      throw new S3ProxyException(
          S3ErrorCode.INTERNAL_ERROR,
          "the event of " + bucket + "/" + key + " could not be kept; retry the request",
          e);
    }
  }

  /**
   * The size of the object just written, read back from the store; null when a concurrent write
   * replaced it in between (its eTag differs), because then the size we read is not this object's.
   */
  private Long sizeOf(String bucket, String key, String eTag) {
    HeadObjectResponse head = delegate().blobMetadata(bucket, key);
    if (head == null || eTag == null || !unquoted(eTag).equals(unquoted(head.eTag()))) {
      return null;
    }
    return head.contentLength();
  }

  static boolean isMultipartStub(String key) {
    return key != null && key.startsWith(MULTIPART_STUB_PREFIX);
  }

  static String unquoted(String eTag) {
    if (eTag == null) {
      return null;
    }
    if (eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
      return eTag.substring(1, eTag.length() - 1);
    }
    return eTag;
  }
}
