package io.iotbench.pipelines.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.Objects;

/**
 * A record that a pipeline step could not use, kept with the original input so nothing is lost (the role of
 * DataflowTemplates' {@code FailsafeElement}): the original payload as read (a CSV line, an event record), the
 * step that refused it, a short machine-readable reason where the step classifies its refusals (the scorer's parse
 * stage: {@code parse}, {@code unknownSensor}, {@code tooLong}, ...; empty elsewhere) and why, in one line. The
 * prepare, evaluate and score pipelines all produce these, encode them with {@link DeadLetterCoder} and write them
 * with {@link WriteDeadLetters}, one JSON object per line:
 * {@code {"stage":"parse","reason":"tooLong","error":"...","payload":"..."}} ({@code reason} only when not empty).
 *
 * @param payload the original input (the scorer keeps at most its first 1,024 characters, see {@code RecordRules})
 * @param stage the step that refused it, e.g. {@code read}, {@code parse} or {@code validate}
 * @param reason the class of the refusal, counted per value; empty when the step has none
 * @param error why, one line (e.g. a {@code RecordFormatException} message naming the field)
 */
@JsonPropertyOrder({"stage", "reason", "error", "payload"})
public record DeadLetter(String payload, String stage, @JsonInclude(JsonInclude.Include.NON_EMPTY) String reason,
    String error) implements Serializable {
  public DeadLetter {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(error, "error");
  }

  /** A dead letter of a step that does not classify its refusals (no reason). */
  public DeadLetter(String payload, String stage, String error) {
    this(payload, stage, "", error);
  }

  /** The dead letter as one line of JSON, the form {@link WriteDeadLetters} writes. */
  public String toJson() {
    return Json.line(this);
  }
}
