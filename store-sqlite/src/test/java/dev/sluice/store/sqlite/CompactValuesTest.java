package dev.sluice.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactValuesTest {

  /**
   * The codes are written into backlog files and into V7__compact_values.sql: each code must name
   * the same text forever. This table is written out by hand; never change a line, only add.
   */
  @Test
  void eventNameCodes_areTheReleasedOnes() {
    Map<Integer, String> golden = new LinkedHashMap<>();
    golden.put(1, "ObjectCreated:Put");
    golden.put(2, "ObjectCreated:Post");
    golden.put(3, "ObjectCreated:Copy");
    golden.put(4, "ObjectCreated:CompleteMultipartUpload");
    golden.put(5, "ObjectRemoved:Delete");
    golden.put(6, "ObjectRemoved:DeleteMarkerCreated");
    golden.put(7, "ObjectRestore:Post");
    golden.put(8, "ObjectRestore:Completed");
    golden.put(9, "ObjectRestore:Delete");
    golden.put(10, "ReducedRedundancyLostObject");
    golden.put(11, "Replication:OperationFailedReplication");
    golden.put(12, "Replication:OperationMissedThreshold");
    golden.put(13, "Replication:OperationReplicatedAfterThreshold");
    golden.put(14, "Replication:OperationNotTracked");
    golden.put(15, "LifecycleExpiration:Delete");
    golden.put(16, "LifecycleExpiration:DeleteMarkerCreated");
    golden.put(17, "LifecycleTransition");
    golden.put(18, "IntelligentTiering");
    golden.put(19, "ObjectTagging:Put");
    golden.put(20, "ObjectTagging:Delete");
    golden.put(21, "ObjectAcl:Put");
    golden.put(65, "s3:ObjectCreated:Put");
    golden.put(66, "s3:ObjectCreated:Post");
    golden.put(67, "s3:ObjectCreated:Copy");
    golden.put(68, "s3:ObjectCreated:CompleteMultipartUpload");
    golden.put(69, "s3:ObjectRemoved:Delete");
    golden.put(70, "s3:ObjectRemoved:DeleteMarkerCreated");
    golden.put(71, "s3:ObjectRestore:Post");
    golden.put(72, "s3:ObjectRestore:Completed");
    golden.put(73, "s3:ObjectRestore:Delete");
    golden.put(74, "s3:ReducedRedundancyLostObject");
    golden.put(75, "s3:Replication:OperationFailedReplication");
    golden.put(76, "s3:Replication:OperationMissedThreshold");
    golden.put(77, "s3:Replication:OperationReplicatedAfterThreshold");
    golden.put(78, "s3:Replication:OperationNotTracked");
    golden.put(79, "s3:LifecycleExpiration:Delete");
    golden.put(80, "s3:LifecycleExpiration:DeleteMarkerCreated");
    golden.put(81, "s3:LifecycleTransition");
    golden.put(82, "s3:IntelligentTiering");
    golden.put(83, "s3:ObjectTagging:Put");
    golden.put(84, "s3:ObjectTagging:Delete");
    golden.put(85, "s3:ObjectAcl:Put");
    for (Map.Entry<Integer, String> e : golden.entrySet()) {
      byte[] code = {(byte) (int) e.getKey()};
      assertThat(CompactValues.eventName(e.getValue())).as(e.getValue()).isEqualTo(code);
      assertThat(CompactValues.eventNameOf(code)).isEqualTo(e.getValue());
    }
    assertThat(CompactValues.EVENT_NAMES).hasSize(21);
  }

  @Test
  void sourceCodes_areTheReleasedOnes() {
    Map<Integer, String> golden = new LinkedHashMap<>();
    golden.put(1, "webhook");
    golden.put(2, "sqs");
    golden.put(3, "s3-endpoint");
    golden.put(4, "s3");
    golden.put(5, "reference");
    for (Map.Entry<Integer, String> e : golden.entrySet()) {
      byte[] code = {(byte) (int) e.getKey()};
      assertThat(CompactValues.source(e.getValue())).as(e.getValue()).isEqualTo(code);
      assertThat(CompactValues.sourceOf(code)).isEqualTo(e.getValue());
    }
    assertThat(CompactValues.SOURCES).hasSize(5);
  }

  @Test
  void otherNames_stayText() {
    for (String name : new String[] {"Object Restore Completed", "objectcreated:put", "1", ""}) {
      assertThat(CompactValues.eventName(name)).isEqualTo(name);
      assertThat(CompactValues.eventNameOf(name)).isEqualTo(name);
      assertThat(CompactValues.source(name)).isEqualTo(name);
    }
    assertThat(CompactValues.eventName(null)).isNull();
    assertThat(CompactValues.eventNameOf(null)).isNull();
    assertThat(CompactValues.source("Webhook")).isEqualTo("Webhook");
  }

  @Test
  void unknownCode_isRefusedRatherThanMisread() {
    assertThatThrownBy(() -> CompactValues.eventNameOf(new byte[] {40}))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CompactValues.sourceOf(new byte[] {9}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eTag_of32LowercaseHex_isItsSixteenBytes() {
    Object stored = CompactValues.eTag("00ff10a0b1c2d3e4f5a6b7c8d9e0f1a9");
    assertThat(stored)
        .isEqualTo(
            new byte[] {
              0x00,
              (byte) 0xff,
              0x10,
              (byte) 0xa0,
              (byte) 0xb1,
              (byte) 0xc2,
              (byte) 0xd3,
              (byte) 0xe4,
              (byte) 0xf5,
              (byte) 0xa6,
              (byte) 0xb7,
              (byte) 0xc8,
              (byte) 0xd9,
              (byte) 0xe0,
              (byte) 0xf1,
              (byte) 0xa9
            });
    assertThat(CompactValues.eTagOf(stored)).isEqualTo("00ff10a0b1c2d3e4f5a6b7c8d9e0f1a9");
  }

  @Test
  void eTag_otherwise_staysText() {
    for (String eTag :
        new String[] {
          "00FF10A0B1C2D3E4F5A6B7C8D9E0F1A9", // uppercase
          "00ff10a0b1c2d3e4f5a6b7c8d9e0f1a9-3", // multipart
          "00ff10a0b1c2d3e4f5a6b7c8d9e0f1a", // 31 characters
          "00ff10a0b1c2d3e4f5a6b7c8d9e0f1ag", // not hex
          "e1",
          ""
        }) {
      assertThat(CompactValues.eTag(eTag)).isEqualTo(eTag);
      assertThat(CompactValues.eTagOf(eTag)).isEqualTo(eTag);
    }
    assertThat(CompactValues.eTag(null)).isNull();
  }
}
