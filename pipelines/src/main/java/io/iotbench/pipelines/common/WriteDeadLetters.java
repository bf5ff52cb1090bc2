package io.iotbench.pipelines.common;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes dead letters as JSON lines, {@code {"stage":"validate","error":"...","payload":"..."}} (JSON because
 * payloads are CSV lines or JSON messages themselves), through a sink of text lines. {@link #toFolder} is the
 * batch pipelines' sink: files {@code rejected-SSSSS-of-NNNNN.jsonl} in a folder, where an empty input writes
 * one empty file so the folder always shows that the step ran. A streaming pipeline passes its own windowed
 * file sink to {@link #WriteDeadLetters(PTransform)}.
 */
public class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private static final long serialVersionUID = 1L;

  private final PTransform<PCollection<String>, PDone> lines;

  /** @param lines where the JSON lines go */
  public WriteDeadLetters(PTransform<PCollection<String>, PDone> lines) {
    this.lines = lines;
  }

  /** Into {@code folder} (any FileSystems location) as {@code rejected-SSSSS-of-NNNNN.jsonl}; bounded input. */
  public static WriteDeadLetters toFolder(String folder) {
    String prefix =
        FileSystems.matchNewResource(folder, true).resolve("rejected", StandardResolveOptions.RESOLVE_FILE).toString();
    return new WriteDeadLetters(TextIO.write().to(prefix).withSuffix(".jsonl"));
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    return deadLetters
        .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson))
        .apply("WriteJsonLines", lines);
  }
}
