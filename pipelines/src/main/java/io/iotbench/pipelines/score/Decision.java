package io.iotbench.pipelines.score;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotbench.pipelines.common.Json;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Serializable;
import java.time.Instant;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * The scorer's output for one interval of one device: the window's end, the interval's number (1 for the
 * interval at {@code --origin}), the device, how many sensor events the interval had, the model's
 * probability and label (1 = attention needed), and flags. {@code late}: events of the interval came after
 * the watermark had passed it (within the allowed lateness). {@code outOfOrder}: the interval reached the
 * scorer after a later interval of the same device. {@code revised}: a decision emitted again because an
 * earlier interval arrived late or out of order and changed this interval's feature vector; the newest
 * decision per (device, interval) is the one that equals in-order processing. {@code sentinel}: the device's
 * end-of-stream event fell in this interval.
 */
public record Decision(
    long windowEndMillis,
    long interval,
    String device,
    long events,
    double probability,
    int label,
    boolean late,
    boolean outOfOrder,
    boolean revised,
    boolean sentinel)
    implements Serializable {

  /** True when the model asks for attention (label 1). */
  public boolean attention() {
    return label == 1;
  }

  /**
   * The decision as one compact JSON object (the Kafka and file sinks' record), keys in this order:
   * {@code windowEnd} (ISO-8601 instant), {@code interval}, {@code device}, {@code events}, {@code probability},
   * {@code decision} ({@code attention} or {@code ok}), {@code late}, {@code outOfOrder}, {@code revised},
   * {@code sentinel}.
   */
  public String toJson() {
    return Json.line(
        Json.MAPPER
            .createObjectNode()
            .put("windowEnd", Instant.ofEpochMilli(windowEndMillis).toString())
            .put("interval", interval)
            .put("device", device)
            .put("events", events)
            .put("probability", probability)
            .put("decision", attention() ? "attention" : "ok")
            .put("late", late)
            .put("outOfOrder", outOfOrder)
            .put("revised", revised)
            .put("sentinel", sentinel));
  }

  /** The decision of one JSON record as the scorer's sinks write it ({@link #toJson}). */
  public static Decision fromJson(String json) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not a decision: " + json, e);
    }
    return new Decision(
        Instant.parse(field(n, "windowEnd", json).asText()).toEpochMilli(),
        field(n, "interval", json).asLong(),
        field(n, "device", json).asText(),
        field(n, "events", json).asLong(),
        field(n, "probability", json).asDouble(),
        "attention".equals(field(n, "decision", json).asText()) ? 1 : 0,
        field(n, "late", json).asBoolean(),
        field(n, "outOfOrder", json).asBoolean(),
        field(n, "revised", json).asBoolean(),
        field(n, "sentinel", json).asBoolean());
  }

  private static JsonNode field(JsonNode decision, String name, String json) {
    JsonNode value = decision.get(name);
    if (value == null) {
      throw new IllegalArgumentException("not a decision (no \"" + name + "\"): " + json);
    }
    return value;
  }

  /** Deterministic binary coder. */
  public static final class Coder extends AtomicCoder<Decision> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Decision d, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(d.windowEndMillis);
      data.writeLong(d.interval);
      data.writeLong(d.events);
      data.writeDouble(d.probability);
      data.writeByte(d.label);
      data.writeByte((d.late ? 1 : 0) | (d.outOfOrder ? 2 : 0) | (d.revised ? 4 : 0) | (d.sentinel ? 8 : 0));
      data.flush();
      StringUtf8Coder.of().encode(d.device, out);
    }

    @Override
    public Decision decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      long end = data.readLong();
      long interval = data.readLong();
      long events = data.readLong();
      double p = data.readDouble();
      int label = data.readByte();
      int f = data.readByte();
      String device = StringUtf8Coder.of().decode(in);
      return new Decision(end, interval, device, events, p, label, (f & 1) != 0, (f & 2) != 0, (f & 4) != 0, (f & 8) != 0);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
