package io.iotbench.pipelines.prepare;

import java.io.Serializable;
import java.util.Objects;

/**
 * A record that a pipeline step could not use, kept with the original input so nothing is lost (the
 * role of DataflowTemplates' {@code FailsafeElement}): the original payload (a CSV line, exactly as read),
 * the step that refused it and why, in one line. Dead letters of every step are flattened and written once
 * by {@link WriteDeadLetters}.
 *
 * @param payload the original input, unchanged
 * @param stage the step that refused it, e.g. {@code validate}
 * @param error why, one line (e.g. a {@code RecordFormatException} message naming the field)
 */
public record DeadLetter(String payload, String stage, String error) implements Serializable {
  public DeadLetter {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(error, "error");
  }
}
