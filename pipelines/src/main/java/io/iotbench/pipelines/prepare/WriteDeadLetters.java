package io.iotbench.pipelines.prepare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes dead letters into a folder as JSON lines, {@code {"stage":"validate","error":"...","payload":"..."}}
 * (JSON because payloads are CSV lines themselves), in files {@code rejected-SSSSS-of-NNNNN.jsonl}. An empty
 * input writes one empty file, so the folder always shows that the step ran.
 */
public class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private static final JsonFactory JSON = new JsonFactory();

  private final String folder;

  /** @param folder the folder to write to (any FileSystems location) */
  public WriteDeadLetters(String folder) {
    this.folder = folder;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    String prefix =
        FileSystems.matchNewResource(folder, true).resolve("rejected", StandardResolveOptions.RESOLVE_FILE).toString();
    return deadLetters
        .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via(WriteDeadLetters::toJson))
        .apply("WriteJsonLines", TextIO.write().to(prefix).withSuffix(".jsonl"));
  }

  /** One dead letter as a JSON object on one line. */
  public static String toJson(DeadLetter deadLetter) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      json.writeStringField("stage", deadLetter.stage());
      json.writeStringField("error", deadLetter.error());
      json.writeStringField("payload", deadLetter.payload());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
