package dev.sluice.s3endpoint;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A blob store that keeps each object under {@link KeyPaths#encode its key's file path}, so that
 * every key S3 accepts is a distinct file inside the bucket's directory, and that lists objects
 * under their real keys.
 *
 * <p>A key longer than S3's 1024 bytes is refused with {@code 400 KeyTooLongError}, as S3 does.
 * Listing reads the bucket's whole file list, decodes it and applies prefix, delimiter and paging
 * here, because an encoded path does not sort or group like its key; that costs a walk of the
 * bucket per list request, which an endpoint for incoming objects can afford.
 *
 * <p>A key whose own path is taken by the other kind of entry ({@code a} beside {@code a/b}) is put
 * or copied to its {@link KeyPaths#displaced displaced} path instead, and read from there when its
 * own path holds no file. A multipart upload always completes at the key's own path, so completing
 * one into such a taken path still fails. Object versions are not supported by the file store, so
 * version listings are not decoded.
 */
final class KeyPathBlobStore extends ForwardingBlobStore {
  private static final int DEFAULT_MAX_KEYS = 1000;
  private static final int DELEGATE_PAGE = 1000;

  private final Path dataDir;

  /**
   * @param dataDir the directory under which {@code delegate} keeps {@code <bucket>/<path>}
   */
  KeyPathBlobStore(BlobStore delegate, Path dataDir) {
    super(delegate);
    this.dataDir = dataDir;
  }

  /**
   * The path {@code key} is read from: its own, or its {@link KeyPaths#displaced displaced} one
   * when only that one holds a file.
   */
  private String readPath(String bucket, String key) {
    String own = KeyPaths.encode(key);
    if (key == null || bucket == null || Files.isRegularFile(file(bucket, own))) {
      return own;
    }
    String displaced = KeyPaths.displaced(key);
    return Files.isRegularFile(file(bucket, displaced)) ? displaced : own;
  }

  /**
   * The path {@code key} is written to: its own unless another key's file or directory is in the
   * way (keys {@code a} and {@code a/b} are both objects in S3, but a file cannot be a directory).
   */
  private String writePath(String bucket, String key) {
    String own = KeyPaths.encode(key);
    if (key == null || bucket == null) {
      return own;
    }
    Path bucketDir = dataDir.resolve(bucket);
    Path target = file(bucket, own);
    if (Files.isDirectory(target)) {
      return KeyPaths.displaced(key);
    }
    for (Path dir = target.getParent();
        dir != null && dir.startsWith(bucketDir) && !dir.equals(bucketDir);
        dir = dir.getParent()) {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        return KeyPaths.displaced(key);
      }
    }
    return own;
  }

  /** After {@code key} was written at {@code written}, its copy at the other path is stale. */
  private void removeOtherPath(String bucket, String key, String written) {
    String own = KeyPaths.encode(key);
    String other = written.equals(own) ? KeyPaths.displaced(key) : own;
    if (Files.isRegularFile(file(bucket, other))) {
      super.removeBlob(DeleteObjectRequest.builder().bucket(bucket).key(other).build());
    }
  }

  private Path file(String bucket, String path) {
    return dataDir.resolve(bucket).resolve(path);
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
    checkLength(request.key());
    String path = writePath(request.bucket(), request.key());
    PutObjectResponse response = super.putBlob(request.toBuilder().key(path).build(), input);
    removeOtherPath(request.bucket(), request.key(), path);
    return response;
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    checkLength(request.destinationKey());
    String path = writePath(request.destinationBucket(), request.destinationKey());
    CopyObjectResponse response =
        super.copyBlob(
            request.toBuilder()
                .sourceKey(readPath(request.sourceBucket(), request.sourceKey()))
                .destinationKey(path)
                .build());
    removeOtherPath(request.destinationBucket(), request.destinationKey(), path);
    return response;
  }

  @Override
  public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
    return super.blobMetadata(
        request.toBuilder().key(readPath(request.bucket(), request.key())).build());
  }

  @Override
  public boolean blobExists(String bucket, String key) {
    return super.blobExists(bucket, readPath(bucket, key));
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    return super.getBlob(
        request.toBuilder().key(readPath(request.bucket(), request.key())).build());
  }

  @Override
  public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
    return super.removeBlob(
        request.toBuilder().key(readPath(request.bucket(), request.key())).build());
  }

  @Override
  public ObjectCannedACL getBlobAccess(String bucket, String key) {
    return super.getBlobAccess(bucket, readPath(bucket, key));
  }

  @Override
  public ObjectCannedACL getBlobAccess(String bucket, String key, String versionId) {
    return super.getBlobAccess(bucket, readPath(bucket, key), versionId);
  }

  @Override
  public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
    return super.getBlobAcl(
        request.toBuilder().key(readPath(request.bucket(), request.key())).build());
  }

  @Override
  public void setBlobAccess(String bucket, String key, ObjectCannedACL access) {
    super.setBlobAccess(bucket, readPath(bucket, key), access);
  }

  @Override
  public void setBlobAccess(String bucket, String key, ObjectCannedACL access, String versionId) {
    super.setBlobAccess(bucket, readPath(bucket, key), access, versionId);
  }

  @Override
  public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
    checkLength(request.key());
    MultipartUpload stored =
        super.initiateMultipartUpload(
            request.toBuilder().key(KeyPaths.encode(request.key())).build());
    // The S3 handler and the layers above see the client's key; only the store sees the path.
    return new MultipartUpload(stored.id(), request, stored.response());
  }

  @Override
  public void abortMultipartUpload(MultipartUpload upload) {
    super.abortMultipartUpload(stored(upload));
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      MultipartUpload upload, CompleteMultipartUploadRequest request) {
    CompleteMultipartUploadResponse response =
        super.completeMultipartUpload(
            stored(upload), request.toBuilder().key(KeyPaths.encode(request.key())).build());
    return response.key() == null
        ? response
        : response.toBuilder().key(KeyPaths.decode(response.key())).build();
  }

  @Override
  public UploadPartResponse uploadMultipartPart(
      MultipartUpload upload, UploadPartRequest request, InputStream input) {
    return super.uploadMultipartPart(
        stored(upload), request.toBuilder().key(KeyPaths.encode(request.key())).build(), input);
  }

  @Override
  public UploadPartCopyResponse copyMultipartPart(
      MultipartUpload upload, UploadPartCopyRequest request) {
    return delegate()
        .copyMultipartPart(
            stored(upload),
            request.toBuilder()
                .sourceKey(readPath(request.sourceBucket(), request.sourceKey()))
                .destinationKey(KeyPaths.encode(request.destinationKey()))
                .build());
  }

  @Override
  public boolean supportsCopyMultipartPart() {
    return delegate().supportsCopyMultipartPart();
  }

  @Override
  public List<Part> listMultipartUpload(MultipartUpload upload) {
    return super.listMultipartUpload(stored(upload));
  }

  @Override
  public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(
      String bucket) {
    List<software.amazon.awssdk.services.s3.model.MultipartUpload> decoded = new ArrayList<>();
    for (var upload : super.listMultipartUploads(bucket)) {
      decoded.add(upload.toBuilder().key(KeyPaths.decode(upload.key())).build());
    }
    return decoded;
  }

  @Override
  public ListObjectsV2Response list(ListObjectsV2Request request) {
    String prefix = request.prefix() == null ? "" : request.prefix();
    String delimiter =
        request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
    int maxKeys = request.maxKeys() == null ? DEFAULT_MAX_KEYS : request.maxKeys();
    String after = request.startAfter();
    if (request.continuationToken() != null && !request.continuationToken().isEmpty()) {
      after = fromToken(request.continuationToken());
    }

    // S3 orders keys by their UTF-8 bytes; String order differs for characters beyond the BMP.
    TreeMap<String, S3Object> objects = new TreeMap<>(KeyPathBlobStore::compareUtf8);
    String token = null;
    do {
      ListObjectsV2Response page =
          super.list(
              ListObjectsV2Request.builder()
                  .bucket(request.bucket())
                  .maxKeys(DELEGATE_PAGE)
                  .continuationToken(token)
                  .build());
      for (S3Object object : page.contents()) {
        String key = KeyPaths.decode(object.key());
        if (key.startsWith(prefix)) {
          objects.put(key, object.toBuilder().key(key).build());
        }
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);

    List<S3Object> contents = new ArrayList<>();
    TreeSet<String> prefixes = new TreeSet<>(KeyPathBlobStore::compareUtf8);
    String last = null;
    boolean truncated = false;
    for (var entry : objects.entrySet()) {
      String key = entry.getKey();
      String common = null;
      if (delimiter != null) {
        int at = key.indexOf(delimiter, prefix.length());
        if (at >= 0) {
          common = key.substring(0, at + delimiter.length());
        }
      }
      String name = common != null ? common : key;
      if (after != null && compareUtf8(name, after) <= 0) {
        continue;
      }
      if (common != null && prefixes.contains(common)) {
        continue;
      }
      if (contents.size() + prefixes.size() >= maxKeys) {
        truncated = true;
        break;
      }
      if (common != null) {
        prefixes.add(common);
      } else {
        contents.add(entry.getValue());
      }
      last = name;
    }

    ListObjectsV2Response.Builder response =
        ListObjectsV2Response.builder()
            .name(request.bucket())
            .prefix(request.prefix())
            .delimiter(request.delimiter())
            .maxKeys(maxKeys)
            .encodingType(request.encodingType())
            .startAfter(request.startAfter())
            .continuationToken(request.continuationToken())
            .contents(contents)
            .commonPrefixes(
                prefixes.stream().map(p -> CommonPrefix.builder().prefix(p).build()).toList())
            .keyCount(contents.size() + prefixes.size())
            .isTruncated(truncated);
    if (truncated && last != null) {
      response.nextContinuationToken(toToken(last));
    }
    return response.build();
  }

  private static void checkLength(String key) {
    if (key != null && KeyPaths.utf8Length(key) > KeyPaths.MAX_KEY_BYTES) {
      // s3proxy has no code of its own for this; it answers any AwsServiceException with the
      // exception's own code and status, so the client sees S3's answer to the same request.
      String message =
          "Your key is too long: "
              + KeyPaths.utf8Length(key)
              + " bytes of UTF-8, the limit is "
              + KeyPaths.MAX_KEY_BYTES;
      throw S3Exception.builder()
          .statusCode(400)
          .message(message)
          .awsErrorDetails(
              AwsErrorDetails.builder()
                  .errorCode("KeyTooLongError")
                  .errorMessage(message)
                  .serviceName("S3")
                  .build())
          .build();
    }
  }

  /** The upload as the store knows it: under the key's path. */
  private static MultipartUpload stored(MultipartUpload upload) {
    if (upload == null || upload.request() == null || upload.request().key() == null) {
      return upload;
    }
    CreateMultipartUploadRequest request =
        upload.request().toBuilder().key(KeyPaths.encode(upload.request().key())).build();
    return new MultipartUpload(upload.id(), request, upload.response());
  }

  private static String toToken(String key) {
    return Base64.getUrlEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  private static String fromToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new S3ProxyException(S3ErrorCode.INVALID_ARGUMENT, "The continuation token is invalid");
    }
  }

  static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
