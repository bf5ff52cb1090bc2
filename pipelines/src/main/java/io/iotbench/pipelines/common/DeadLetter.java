package io.iotbench.pipelines.common;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.Objects;

/**
 * A record that a pipeline step could not use, kept with the original input so nothing is lost (the role of
 * DataflowTemplates' {@code FailsafeElement}): the original payload exactly as read (a CSV line, an event
 * record), the step that refused it and why, in one line. The prepare, evaluate and score pipelines all
 * produce these, encode them with {@link DeadLetterCoder} and write them with {@link WriteDeadLetters}, one
 * JSON object per line: {@code {"stage":"validate","error":"...","payload":"..."}}.
 *
 * @param payload the original input, unchanged
 * @param stage the step that refused it, e.g. {@code read}, {@code parse} or {@code validate}
 * @param error why, one line (e.g. a {@code RecordFormatException} message naming the field)
 */
@JsonPropertyOrder({"stage", "error", "payload"})
public record DeadLetter(String payload, String stage, String error) implements Serializable {
  public DeadLetter {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(error, "error");
  }

  /** The dead letter as one line of JSON, the form {@link WriteDeadLetters} writes. */
  public String toJson() {
    return Json.line(this);
  }
}
