package dev.sluice.cli;

import dev.sluice.core.ListedObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists the objects under a prefix with ListObjectsV2, a page (up to 1,000 keys) at a time, and
 * hands each page on as {@link ListedObject}s; a failure becomes a one-line {@link CliException}.
 */
final class BucketListing {
  private final S3Client s3;
  private final S3Url url;
  private final String where;

  /**
   * @param where the endpoint, for messages
   */
  BucketListing(S3Client s3, S3Url url, String where) {
    this.s3 = s3;
    this.url = url;
    this.where = where;
  }

  /** Calls {@code page} with each page of the listing, in key order. */
  void forEachPage(Consumer<List<ListedObject>> page) {
    try {
      for (ListObjectsV2Response r :
          s3.listObjectsV2Paginator(
              b -> {
                b.bucket(url.bucket());
                if (!url.prefix().isEmpty()) {
                  b.prefix(url.prefix());
                }
              })) {
        List<ListedObject> objects = new ArrayList<>(r.contents().size());
        for (S3Object o : r.contents()) {
          objects.add(
              new ListedObject(url.bucket(), o.key(), o.eTag(), o.size(), o.lastModified()));
        }
        page.accept(objects);
      }
    } catch (NoSuchBucketException e) {
      throw new CliException("no such bucket: " + url.bucket() + " (at " + where + ")");
    } catch (S3Exception e) {
      throw new CliException(
          "listing "
              + url
              + " at "
              + where
              + " failed: "
              + e.statusCode()
              + " "
              + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode() + ": ")
              + firstLine(
                  e.awsErrorDetails() == null
                      ? e.getMessage()
                      : e.awsErrorDetails().errorMessage()));
    } catch (SdkClientException e) {
      throw new CliException(
          "cannot list " + url + " at " + where + ": " + firstLine(e.getMessage()));
    } catch (SdkException e) {
      throw new CliException(
          "listing " + url + " at " + where + " failed: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
