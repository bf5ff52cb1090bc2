package io.iotbench.pipelines.score.source;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka value deserializer for Beam's KafkaIO path that applies the record rules ({@link RecordText#ofMessage})
 * while decoding: a huge message is never decoded whole, a null or empty one is a blank record. The limit comes
 * from the consumer property {@value #MAX_RECORD_BYTES} (set by the scorer; the consumer only warns that it does
 * not know it).
 */
public final class RecordDeserializer implements Deserializer<String> {
  /** The consumer property that carries {@code --maxRecordBytes}. */
  public static final String MAX_RECORD_BYTES = "iotbench.max.record.bytes";

  private int maxRecordBytes = 65536;

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object limit = configs.get(MAX_RECORD_BYTES);
    if (limit != null) {
      maxRecordBytes = Integer.parseInt(limit.toString());
    }
  }

  @Override
  public String deserialize(String topic, byte[] data) {
    return data == null ? RecordText.BLANK : RecordText.ofMessage(data, 0, data.length, maxRecordBytes);
  }
}
